import { SEL_LDR_IN_IMAGE, selLdrCommand, selLdrPrefix } from './sel-ldr';

describe('sel_ldr command line', () => {
  it('is the loader with exactly -l /dev/null -S -e, as play.golang.org ran it', () => {
    expect(selLdrPrefix()).toEqual([SEL_LDR_IN_IMAGE, '-l', '/dev/null', '-S', '-e']);
    expect(SEL_LDR_IN_IMAGE).toBe('/sel_ldr_x86_64');
  });

  it('puts the binary after the flags and the program arguments after the binary', () => {
    expect(selLdrCommand('/tmp/a.out', ['-test.v'])).toEqual(['/sel_ldr_x86_64', '-l', '/dev/null', '-S', '-e', '/tmp/a.out', '-test.v']);
  });

  it('passes no argument of its own when the program has none', () => {
    expect(selLdrCommand('/tmp/a.out', [])).toEqual(['/sel_ldr_x86_64', '-l', '/dev/null', '-S', '-e', '/tmp/a.out']);
  });

  it('keeps several arguments in order and does not reinterpret them', () => {
    expect(selLdrCommand('/tmp/a.out', ['-test.v', '-test.run=TestX', '-e'])).toEqual(
      ['/sel_ldr_x86_64', '-l', '/dev/null', '-S', '-e', '/tmp/a.out', '-test.v', '-test.run=TestX', '-e']);
  });

  it('takes another loader path in front of the same flags', () => {
    expect(selLdrCommand('/tmp/a.out', ['-test.v'], '/opt/nacl/sel_ldr_x86_64')).toEqual(
      ['/opt/nacl/sel_ldr_x86_64', '-l', '/dev/null', '-S', '-e', '/tmp/a.out', '-test.v']);
  });

  it('is a fresh array each time, so a caller appending to it cannot change the next run', () => {
    const a = selLdrPrefix();
    a.push('/tmp/a.out');
    expect(selLdrPrefix()).toHaveLength(5);
  });
});
