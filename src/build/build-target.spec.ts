import * as path from 'path';
import { goEnv, goToolEnv } from './build-target';

describe('go command environments', () => {
  const home = '/tmp/play-build-abc';

  // Anything the go command or its detached telemetry child writes under the per-request home
  // races that directory's removal (ENOTEMPTY, once answered as a 500).
  it('keeps caches, config and telemetry out of the per-request home', () => {
    const env = goToolEnv('/opt/go/bin/go', home);
    for (const name of ['GOCACHE', 'GOMODCACHE', 'XDG_CONFIG_HOME']) {
      expect({ name, inside: path.resolve(env[name]!).startsWith(home) }).toEqual({ name, inside: false });
    }
    expect(env).toMatchObject({ HOME: home, GOTOOLCHAIN: 'local', GOENV: 'off', GOTELEMETRY: 'off' });
    expect(env.PATH!.split(':')[0]).toBe('/opt/go/bin');
  });

  it('builds for the target with the shared tool environment and the operator proxy', () => {
    const target = { goBin: '/opt/go/bin/go', goos: 'linux', goarch: '386', tags: ['faketime'], toolchainVersion: 'go1.26.0' };
    const env = goEnv(target, home, 'http://127.0.0.1:3000');
    expect(env).toMatchObject({ ...goToolEnv(target.goBin, home), GOOS: 'linux', GOARCH: '386', CGO_ENABLED: '0', GOPROXY: 'http://127.0.0.1:3000' });
    expect(env.GOFLAGS).toBe('-mod=mod -buildvcs=false');
  });
});
