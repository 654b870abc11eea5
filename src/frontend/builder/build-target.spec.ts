import { buildEnv, sandboxToolEnv, sumdbSettings } from './build-target';

describe('go tool environments in the build sandbox', () => {
  const target = { toolchain: { version: 'go1.26.8', goroot: '/usr/local/go' }, goos: 'linux', goarch: '386', tags: ['faketime'] };

  it('names only sandbox paths, never the host toolchain or the service user', () => {
    for (const value of Object.values(sandboxToolEnv())) expect(value).not.toMatch(/\/usr\/local\/go|\/root|\/home\//);
  });

  it('turns off everything that would reach beyond the module proxy', () => {
    expect(sandboxToolEnv()).toMatchObject({ GOTOOLCHAIN: 'local', GOVCS: '*:off', GOWORK: 'off', GOENV: 'off', GOPROXY: 'off', CGO_ENABLED: '0' });
    expect(sandboxToolEnv().GOFLAGS).toBe('-mod=mod -buildvcs=false -modcacherw');
  });

  it('gives only a build step the relay, and passes experiments and the target on', () => {
    const build = buildEnv(target, { moduleProxy: true, experiments: 'rangefunc', sumdb: {} });
    expect(build).toMatchObject({ GOOS: 'linux', GOARCH: '386', GOPROXY: 'http://127.0.0.1:1080', GOEXPERIMENT: 'rangefunc' });
    expect(buildEnv(target, { moduleProxy: false, experiments: '', sumdb: {} })).toMatchObject({ GOPROXY: 'off' });
    expect(buildEnv(target, { moduleProxy: false, experiments: '', sumdb: {} })).not.toHaveProperty('GOEXPERIMENT');
  });

  it('passes the checksum database settings and nothing else of the host environment', () => {
    expect(sumdbSettings({ GOSUMDB: 'off', GOPROXY: 'https://u:secret@p.example', GOPRIVATE: '*', GOINSECURE: '*' })).toEqual({ GOSUMDB: 'off' });
  });
});
