import { parseProxyRequest } from './proxy-request';

describe('module proxy requests from the build sandbox', () => {
  it.each([
    ['/github.com/google/uuid/@v/list', 'list', false],
    ['/github.com/google/uuid/@v/v1.6.0.info', 'info', true],
    ['/github.com/google/uuid/@v/v1.6.0.mod', 'mod', true],
    ['/github.com/!burnt!sushi/toml/@v/v1.3.2.zip', 'zip', true],
    ['/golang.org/x/exp/@v/v0.0.0-20240112132812-db7319d0e0e3.mod', 'mod', true],
    ['/example.com/m/@v/v2.0.0+incompatible.info', 'info', true],
    ['/rsc.io/quote/@latest', 'latest', false],
    ['/sumdb/sum.golang.org/supported', 'sumdb', false],
    ['/sumdb/sum.golang.org/latest', 'sumdb', false],
    ['/sumdb/sum.golang.org/lookup/github.com/google/uuid@v1.6.0', 'sumdb', true],
    ['/sumdb/sum.golang.org/tile/8/0/x123/456', 'sumdb', true],
    ['/sumdb/sum.golang.org/tile/8/1/007.p/13', 'sumdb', true],
  ])('passes %s', (url, kind, immutable) => {
    expect(parseProxyRequest('GET', url)).toEqual({ kind, path: url, immutable });
  });

  it.each([
    '/',
    '/github.com/google/uuid',
    '/github.com/Google/uuid/@v/list', // not case-encoded
    '/github.com/../../etc/passwd/@v/list',
    '/github.com/./x/@v/list',
    '//evil.example/@v/list',
    '/github.com/x/@v/v1.0.0.zip?x=1',
    '/github.com/x/@v/v1.0.0%2ezip',
    '/github.com/x/@v/v1.0.0.tar',
    '/github.com/x/@v/1.0.0.mod',
    '/sumdb/sum.golang.org/../../x',
    '/sumdb/sum.golang.org/lookup/../x@v1',
    '/admin/api/state',
  ])('refuses %s', (url) => {
    expect(parseProxyRequest('GET', url)).toHaveProperty('refused');
  });

  it('refuses anything but reads', () => {
    expect(parseProxyRequest('POST', '/github.com/google/uuid/@v/list')).toHaveProperty('refused');
  });
});
