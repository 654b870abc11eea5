import { IN_SANDBOX, SANDBOX_PROXY_ADDR } from './sandbox/sandbox-layout';
import type { Toolchain } from './toolchain';

/** Where and how a backend's programs are compiled. */
export interface BuildTarget {
  toolchain: Toolchain;
  goos: string;
  goarch: string;
  tags: string[];
  /** GOFLAGS for this toolchain when not the default ('' for Go ≤ 1.13, which has no -mod=mod). */
  goflags?: string;
}

/**
 * What every go tool in the build sandbox shares, in the sandbox's own paths: caches of this
 * request only, no toolchain downloads (a go.mod naming a newer Go must not fetch one), no
 * telemetry, no workspace files, no version control tools at all (GOVCS), and no module
 * proxy unless a build step is given the relay.
 */
export function sandboxToolEnv(): Record<string, string> {
  return {
    PATH: `${IN_SANDBOX.goroot}/bin`,
    GOROOT: IN_SANDBOX.goroot,
    HOME: '/tmp/home',
    TMPDIR: '/tmp',
    XDG_CONFIG_HOME: '/tmp/config',
    XDG_CACHE_HOME: '/tmp/cache',
    GOMODCACHE: `${IN_SANDBOX.cache}/mod`,
    GOPATH: `${IN_SANDBOX.cache}/gopath`,
    GOTOOLCHAIN: 'local',
    GOENV: 'off',
    GOTELEMETRY: 'off',
    GOWORK: 'off',
    GOVCS: '*:off',
    GOPROXY: 'off',
    GOFLAGS: '-mod=mod -buildvcs=false -modcacherw',
    CGO_ENABLED: '0',
  };
}

export interface BuildEnvOptions {
  /** The build step fetches modules through the relay; vet and formatting never do. */
  moduleProxy: boolean;
  experiments: string;
  /** The operator's checksum database settings (GOSUMDB, GONOSUMDB), passed on as they are. */
  sumdb: Record<string, string>;
}

/** The environment of a build or vet for one target. */
export function buildEnv(target: BuildTarget, opts: BuildEnvOptions): Record<string, string> {
  return {
    ...sandboxToolEnv(),
    ...opts.sumdb,
    GOOS: target.goos,
    GOARCH: target.goarch,
    ...(target.goflags !== undefined ? { GOFLAGS: target.goflags } : {}),
    ...(opts.moduleProxy ? { GOPROXY: `http://${SANDBOX_PROXY_ADDR}` } : {}),
    ...(opts.experiments ? { GOEXPERIMENT: opts.experiments } : {}),
  };
}

/** The checksum database settings of this process's environment (never credentials: GOPROXY stays on the host). */
export function sumdbSettings(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['GOSUMDB', 'GONOSUMDB']) if (env[name]) out[name] = env[name]!;
  return out;
}
