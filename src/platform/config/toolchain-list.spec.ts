import { parseToolchainList } from './toolchain-list';

describe('PLAYGROUND_TOOLCHAINS', () => {
  it('reads name=version pairs, spaces and empty items aside', () => {
    expect(parseToolchainList(' goprev=go1.25.14 , ,gotip = go1.27rc1')).toEqual([
      { name: 'goprev', version: 'go1.25.14' },
      { name: 'gotip', version: 'go1.27rc1' },
    ]);
    expect(parseToolchainList('')).toEqual([]);
  });

  it('names every problem at once', () => {
    let message = '';
    try {
      parseToolchainList('goprev=1.25,Go=go1.26.1,justaname,goold=go1.12.17,goprev=go1.26.2,gox=go1.26.2');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('"1.25" (for goprev) is not a Go release');
    expect(message).toContain('"Go" is not a backend name');
    expect(message).toContain('"justaname" is not name=version');
    expect(message).toContain('go1.12.17 (for goold) is older than go1.14');
    expect(message).toContain('goprev is named twice');
    expect(message).toContain('go1.26.2 is listed twice');
  });
});
