import { cleanBuildOutput } from './build-errors';

const WORK = '/tmp/play-build-123';

describe('cleanBuildOutput', () => {
  it('turns a typical go build failure into the playground form', () => {
    const raw = `# play\n${WORK}/prog.go:3:2: undefined: x\n${WORK}/prog.go:4:9: missing return\n`;
    expect(cleanBuildOutput(raw, WORK)).toBe('./prog.go:3:2: undefined: x\n./prog.go:4:9: missing return\n');
  });

  it.each(['# play', '# command-line-arguments', '# play/sub', '# example.com/m/v2/internal', '# play [play.test]'])(
    'removes the %j banner line',
    (banner) => {
      expect(cleanBuildOutput(`${banner}\n./prog.go:1:1: oops\n`, WORK)).toBe('./prog.go:1:1: oops\n');
    },
  );

  it('removes every banner when several packages fail', () => {
    const raw = `# play/sub\n${WORK}/sub/a.go:1:1: x\n# play\n${WORK}/prog.go:2:2: y\n`;
    expect(cleanBuildOutput(raw, WORK)).toBe('./sub/a.go:1:1: x\n./prog.go:2:2: y\n');
  });

  it('removes a banner on the last line even without a newline', () => {
    expect(cleanBuildOutput('./prog.go:1:1: x\n# play', WORK)).toBe('./prog.go:1:1: x\n');
  });

  it('keeps lines that merely start with "#" but are not banners', () => {
    const raw = './prog.go:1:1: x\n# this is not a banner\n#play\n';
    expect(cleanBuildOutput(raw, WORK)).toBe(raw);
  });

  it('accepts a work directory given with a trailing slash', () => {
    expect(cleanBuildOutput(`${WORK}/prog.go:3:2: e\n`, WORK + '/')).toBe('./prog.go:3:2: e\n');
  });

  it('replaces a bare mention of the work directory with "."', () => {
    expect(cleanBuildOutput(`go: cannot find main module in ${WORK}\n`, WORK)).toBe(
      'go: cannot find main module in .\n',
    );
    expect(cleanBuildOutput(`dir "${WORK}": bad\n`, WORK)).toBe('dir ".": bad\n');
  });

  it('does not mangle a sibling directory whose name extends the work directory', () => {
    const out = cleanBuildOutput('/srv/build-1/a.go and /srv/build-10/b.go\n', '/srv/build-1');
    expect(out).toBe('./a.go and /srv/build-10/b.go\n');
  });

  it('treats a work directory with regex metacharacters literally', () => {
    expect(cleanBuildOutput('/srv/a+b(1)/prog.go:1:1: x\n/srv/aab(1)/q\n', '/srv/a+b(1)')).toBe(
      './prog.go:1:1: x\n/srv/aab(1)/q\n',
    );
  });

  it('strips other per-run temp directories the same way', () => {
    const raw = '/tmp/go-build998877/b001/_testmain.go:9:2: x\n/var/tmp/sandbox42/prog.go:1:1: y\n';
    expect(cleanBuildOutput(raw, WORK)).toBe('./b001/_testmain.go:9:2: x\n./prog.go:1:1: y\n');
  });

  it('leaves non-temp absolute paths and relative tmp paths alone', () => {
    const raw =
      '/usr/local/go/src/fmt/print.go:1:1: x\n/home/u/tmp/x/y.go:1:1\n./tmp/x/y.go:1:1\n/root/go/pkg/mod/a@v1/b.go:2:2\n';
    expect(cleanBuildOutput(raw, WORK)).toBe(raw);
  });

  it('keeps everything else verbatim, including blank lines and no final newline', () => {
    const raw = 'go: downloading golang.org/x/text v0.3.0\n\nnote: module requires Go 1.22';
    expect(cleanBuildOutput(raw, WORK)).toBe(raw);
  });

  it('returns empty output unchanged', () => {
    expect(cleanBuildOutput('', WORK)).toBe('');
  });
});
