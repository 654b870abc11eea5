import { checkSandboxUrls, sandboxUrls } from './sandbox-urls';

describe('SANDBOX_URL', () => {
  it('names one host or several, comma-separated', () => {
    expect(sandboxUrls('http://127.0.0.1:8081')).toEqual(['http://127.0.0.1:8081']);
    expect(sandboxUrls(' http://10.0.0.1:8081 , http://10.0.0.2:8081,')).toEqual(['http://10.0.0.1:8081', 'http://10.0.0.2:8081']);
  });

  it('is refused at start-up when empty, not a URL, not http, or naming a host twice', () => {
    expect(() => checkSandboxUrls('')).toThrow('name at least one sandbox host');
    expect(() => checkSandboxUrls('ftp://127.0.0.1:8081')).toThrow('only http and https');
    expect(() => checkSandboxUrls('http://a:1,nonsense')).toThrow('"nonsense" is not a URL');
    expect(() => checkSandboxUrls('http://a:1,http://a:1/')).toThrow('named twice');
    expect(() => checkSandboxUrls('http://a:1,https://b:2')).not.toThrow();
  });
});
