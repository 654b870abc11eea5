import { DEFAULT_MODULE_PROXY, parseGoproxy } from './upstream-proxies';

describe('GOPROXY for the module proxy relay', () => {
  it('defaults to the public proxy without its direct fallback', () => {
    const l = parseGoproxy('');
    expect(l.proxies.map((p) => p.display)).toEqual([DEFAULT_MODULE_PROXY]);
  });

  it('drops direct wherever it stands, and stops at off', () => {
    const l = parseGoproxy('https://a.example,direct,https://b.example|https://c.example,off,https://d.example');
    expect(l.proxies.map((p) => [p.display, p.fallBackOnAnyError])).toEqual([
      ['https://a.example', false], ['https://b.example', true], ['https://c.example', false],
    ]);
    expect(l.ignored.join()).toMatch(/direct/);
  });

  it('is empty when the operator turned modules off', () => {
    expect(parseGoproxy('off').proxies).toEqual([]);
    expect(parseGoproxy('direct').proxies).toEqual([]);
  });

  it('keeps credentials on the host side, out of every display string', () => {
    const [p] = parseGoproxy('https://user:s3cret@proxy.corp.example/go/').proxies;
    expect(p.display).toBe('https://proxy.corp.example/go');
    expect(p.display).not.toContain('s3cret');
    expect(Buffer.from(p.authorization!.slice(6), 'base64').toString()).toBe('user:s3cret');
  });

  it('takes file:// proxies and refuses other schemes', () => {
    const l = parseGoproxy('file:///srv/goproxy,ftp://x.example');
    expect(l.proxies.map((p) => p.url.protocol)).toEqual(['file:']);
    expect(l.ignored.join()).toMatch(/ftp/);
  });
});
