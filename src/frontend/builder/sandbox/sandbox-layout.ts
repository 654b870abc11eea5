/**
 * Where things are inside the build sandbox. The paths are the same for every build, so a
 * program's build cache keys and error messages never depend on the host's directory layout.
 */
export const IN_SANDBOX = {
  /** The toolchain, read-only. */
  goroot: '/goroot',
  /** The request's files: the module being built (writable: the go command updates go.mod/go.sum). */
  src: '/play',
  /** Where the binary goes, apart from the user's files (a user file may be called a.out). */
  out: '/out',
  /** This request's own writable state: build cache layer, module cache, shared by its build and vet. */
  cache: '/cache',
  /** The shared build cache of the warm-up builds, read-only. */
  cacheBase: '/gocache-base',
  /** Our helper (limits, the forwarder to the module proxy relay, the cache layer, the tools' seccomp filter). */
  helper: '/sandbox/build-helper',
  /** Extra tools (goimports), read-only. */
  tools: '/sandbox/tools',
  /** The directory holding this build's module proxy relay socket. */
  relay: '/run/goproxy',
} as const;

/** Where the go command finds the relay's forwarder inside the sandbox's own network namespace. */
export const SANDBOX_PROXY_ADDR = '127.0.0.1:1080';
