import * as path from 'path';
import { varDir } from '../paths';

/** Where and how a backend's programs are compiled. */
export interface BuildTarget {
  /** The go binary of the toolchain. */
  goBin: string;
  goos: string;
  goarch: string;
  tags: string[];
  /** e.g. "go1.26.8"; also the go.mod language version for programs without one. */
  toolchainVersion: string;
  /** GOFLAGS for this toolchain (Go ≤ 1.13 has no -mod=mod). */
  goflags?: string;
}

/**
 * What every go tool the service starts shares: the service's own caches (never the user's
 * home), no toolchain downloads (a go.mod naming a newer Go must not fetch one), no telemetry.
 */
export function goToolEnv(goBin: string, home: string): NodeJS.ProcessEnv {
  return {
    PATH: `${path.dirname(goBin)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    GOCACHE: path.join(varDir(), 'gocache'),
    GOMODCACHE: path.join(varDir(), 'gomodcache'),
    GOTOOLCHAIN: 'local',
    GOENV: 'off',
    GOTELEMETRY: 'off',
    // GOTELEMETRY is read-only: the go command keeps its telemetry counters (and the lock of its
    // upload child, which outlives it) under the user config dir, which with HOME set to a
    // per-request directory was inside it; written while that directory was being removed, they
    // made the removal fail (ENOTEMPTY, answered as a 500). They go to the service's own var/.
    XDG_CONFIG_HOME: path.join(varDir(), 'go-config'),
  };
}

/**
 * The environment of every build: the shared tool environment, no cgo, the target platform,
 * and the module proxy the operator configured.
 */
export function goEnv(target: BuildTarget, home: string, goproxy: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...goToolEnv(target.goBin, home),
    GOOS: target.goos,
    GOARCH: target.goarch,
    CGO_ENABLED: '0',
    GOPATH: path.join(varDir(), 'gopath'),
    GOFLAGS: target.goflags ?? '-mod=mod -buildvcs=false',
  };
  const proxy = goproxy || process.env.GOPROXY;
  if (proxy) env.GOPROXY = proxy;
  for (const name of ['GONOSUMDB', 'GONOSUMCHECK', 'GOSUMDB', 'GOPRIVATE', 'GOINSECURE', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY']) {
    if (process.env[name]) env[name] = process.env[name];
  }
  return env;
}
