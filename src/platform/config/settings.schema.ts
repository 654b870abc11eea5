import * as os from 'os';
import { parseTrustProxy } from '../http/trust-proxy';
import { checkSandboxUrls } from './sandbox-urls';
import { checkToolchainList } from './toolchain-list';

// Every setting the service reads, with its safe default and the README's description. Both
// processes validate the whole table at start-up, so a typo in a value stops the service early.

type Kind = 'int' | 'string' | 'bool' | 'percent';

export interface SettingSpec {
  kind: Kind;
  default: string;
  description: string;
  min?: number;
  max?: number;
  /** Never logged or shown: holds a credential. */
  secret?: boolean;
  /** Further checks of a string setting; throws with the reason. */
  check?: (value: string) => void;
  /** For a string: the only values it may take. */
  choices?: readonly string[];
}

const cores = Math.max(1, os.cpus().length);

/** The message never repeats the value: a database URL may hold a password. */
function databaseUrl(v: string): void {
  if (v === '') return;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error('must be a postgres://user:password@host:port/database URL');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new Error('must start with postgres:// (PostgreSQL is the one database server supported)');
  if (!u.hostname || u.pathname.length < 2) throw new Error('must name a host and a database: postgres://user:password@host:port/database');
}

function cacheUrl(v: string): void {
  if (v === '') return;
  const m = /^memcached:\/\/([^/:@]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\/?$/.exec(v);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new Error(`must be empty (this frontend's memory) or memcached://host:port, got "${v}"`);
}

function tokenLength(v: string): void {
  if (v !== '' && v.length < 16) throw new Error('must be empty or at least 16 characters');
}

export const SETTINGS = {
  // Sandbox backend
  SANDBOX_HOST: { kind: 'string', default: '127.0.0.1', description: 'address the sandbox backend listens on' },
  SANDBOX_PORT: { kind: 'int', default: '8081', min: 0, max: 65535, description: 'port of the sandbox backend' },
  SANDBOX_IMAGE: { kind: 'string', default: 'playground-sandbox:latest', description: 'container image of the sandbox (built by scripts/sandbox-image.sh)' },
  SANDBOX_RUNTIME: { kind: 'string', default: 'runsc', description: 'Docker runtime for linux/amd64 runs (gVisor)' },
  SANDBOX_RUNSC_PLATFORM: { kind: 'string', default: 'ptrace', description: 'gVisor platform: the one the set-up registers with Docker, and the one SANDBOX_ENGINE=runsc passes to runsc (ptrace; systrap with a current runsc; kvm hangs on these machines)' },
  SANDBOX_ENGINE: { kind: 'string', default: 'docker', choices: ['docker', 'runsc'], description: 'how linux/amd64 sandboxes start: docker (a container per run under SANDBOX_RUNTIME) or runsc (runsc run straight from the sandbox service, no Docker in the way; needs the service to run as root)' },
  SANDBOX_RUNSC_BINARY: { kind: 'string', default: '/usr/bin/runsc', description: 'the runsc that SANDBOX_ENGINE=runsc runs' },
  SANDBOX_RUNSC_ROOT: { kind: 'string', default: '/run/playground-sandbox', description: 'directory of SANDBOX_ENGINE=runsc: runsc\'s state and the sandboxes\' bundles (root\'s, nobody else\'s)' },
  SANDBOX_ROOTFS: { kind: 'string', default: '', description: 'root file system of SANDBOX_ENGINE=runsc sandboxes (empty: var/sandbox-rootfs, made by scripts/sandbox-image.sh)' },
  SANDBOX_CGROUP_PARENT: { kind: 'string', default: '', description: 'cgroup the sandboxes\' own cgroups go under (empty: Docker\'s default for docker, playground-sandbox for runsc)' },
  SANDBOX_POOL_SIZE: { kind: 'int', default: String(cores), min: 0, max: 64, description: 'pre-started containers kept warm per pool (default: one per core)' },
  SANDBOX_POOL_IDLE_SIZE: { kind: 'int', default: '0', min: 0, max: 64, description: 'warm sandboxes the linux/amd64 pool grows to while no run comes for a second, one start at a time (0: SANDBOX_POOL_SIZE, no growth); used up under load and not replaced' },
  SANDBOX_MAX_CONCURRENT_RUNS: { kind: 'int', default: String(cores * 2), min: 1, max: 256, description: 'programs running at once; more wait in the queue' },
  SANDBOX_QUEUE_LIMIT: { kind: 'int', default: '200', min: 0, max: 10000, description: 'runs that may wait; past it /run answers 503' },
  SANDBOX_MEMORY_MB: { kind: 'int', default: '100', min: 16, max: 4096, description: 'memory limit of one run' },
  SANDBOX_PIDS_LIMIT: { kind: 'int', default: '128', min: 8, max: 4096, description: 'process/thread limit of one run' },
  SANDBOX_PROCESS_LIMIT: { kind: 'int', default: '48', min: 4, max: 4096, description: 'RLIMIT_NPROC of the program (threads of its user, the supervisor\'s few included): runc and gVisor both enforce it, so a fork bomb hits this first' },
  SANDBOX_TMPFS_MB: { kind: 'int', default: '64', min: 8, max: 4096, description: 'size of the exec-able /tmp of one run; it holds the binary, and under gVisor counts against the memory limit, so keep it below SANDBOX_MEMORY_MB' },
  SANDBOX_RUN_TIMEOUT_MS: { kind: 'int', default: '5000', min: 100, max: 600000, description: 'wall-clock limit of one run (then interrupt, then kill)' },
  SANDBOX_OUTPUT_LIMIT_BYTES: { kind: 'int', default: String(1 << 20), min: 1024, max: 1 << 30, description: 'cap on each output stream; past it: "Output too large"' },
  SANDBOX_MAX_BINARY_BYTES: { kind: 'int', default: String(100 << 20), min: 1024, max: 1 << 30, description: 'largest binary /run accepts (413 past it)' },
  SANDBOX_BINARY_MEMORY_MB: { kind: 'int', default: '512', min: 1, max: 1 << 20, description: 'memory for binaries held at once (being received, waiting or running); past it /run answers 503 before reading the body' },
  SANDBOX_TOKEN: { kind: 'string', default: '', secret: true, check: tokenLength, description: 'shared secret the frontend presents to the sandbox (Authorization: Bearer); npm start makes one per launch when unset; the sandbox refuses to start on a non-loopback SANDBOX_HOST without it' },
  SANDBOX_OPS_HOST: { kind: 'string', default: '127.0.0.1', description: 'address of the sandbox\'s operations listener (/metrics)' },
  SANDBOX_OPS_PORT: { kind: 'int', default: '9081', min: 0, max: 65535, description: 'port of the sandbox\'s operations listener (/metrics)' },
  SANDBOX_CONTAINER_PREFIX: { kind: 'string', default: 'play_run_', description: 'name prefix of sandbox containers; leftovers with it are removed at start-up and shutdown' },

  // Frontend
  FRONTEND_HOST: { kind: 'string', default: '127.0.0.1', description: 'address the public frontend listens on (0.0.0.0 to serve the world)' },
  FRONTEND_PORT: { kind: 'int', default: '8080', min: 0, max: 65535, description: 'port of the public frontend' },
  FRONTEND_OPS_HOST: { kind: 'string', default: '127.0.0.1', description: 'address of the frontend\'s operations listener (/metrics)' },
  FRONTEND_OPS_PORT: { kind: 'int', default: '9080', min: 0, max: 65535, description: 'port of the frontend\'s operations listener (/metrics)' },
  SANDBOX_URL: { kind: 'string', default: 'http://127.0.0.1:8081', check: checkSandboxUrls, description: 'the sandbox hosts, comma-separated: each run goes to the least loaded one that is up and not draining' },
  PLAYGROUND_GO: { kind: 'string', default: '', description: 'the go binary of the default toolchain, the one linux/amd64 and the legacy emulation build with (default: go on PATH)' },
  PLAYGROUND_TOOLCHAINS: { kind: 'string', default: 'goprev=go1.25.14', check: checkToolchainList, description: 'more Go releases served beside the default one, comma-separated name=version pairs that clients choose with backend=name, as the Go playground\'s goprev and gotip (empty: the default toolchain only); the set-up fetches each from the module proxy as golang.org/toolchain, checksum-verified, into var/toolchains/' },
  GOPROXY: { kind: 'string', default: '', secret: true, description: 'module proxies for third-party imports, as the go command reads GOPROXY (default: https://proxy.golang.org); `direct` is ignored: modules come only through a proxy, and its credentials stay on the host' },
  MODULE_PROXY_CACHE_MB: { kind: 'int', default: '1024', min: 0, max: 1 << 20, description: 'disk kept for immutable module proxy answers (module zips, checksum tiles) under var/data/ (0: no cache)' },
  BUILD_BWRAP: { kind: 'string', default: '/usr/bin/bwrap', description: 'bubblewrap, the build sandbox (Debian package bubblewrap, installed by the set-up)' },
  BUILD_MEMORY_MB: { kind: 'int', default: '1024', min: 64, max: 65536, description: 'memory limit of one build (its sandbox\'s cgroup; a per-process address-space cap where no cgroup is delegated)' },
  BUILD_PIDS_LIMIT: { kind: 'int', default: '256', min: 16, max: 65536, description: 'process/thread limit of one build (cgroup)' },
  BUILD_TMPFS_MB: { kind: 'int', default: '512', min: 16, max: 65536, description: 'size of the build sandbox\'s /tmp (the go command\'s work files)' },
  BUILD_CGROUP: { kind: 'string', default: 'auto', choices: ['auto', 'off'], description: 'auto: limit builds with the playground-builds cgroup the set-up delegates to the service user; off: per-process limits only' },
  BUILD_TIMEOUT_MS: { kind: 'int', default: '10000', min: 1000, max: 600000, description: 'limit on one go build (then "timeout running go build")' },
  BUILD_CONCURRENCY: { kind: 'int', default: String(cores), min: 1, max: 64, description: 'builds at once; more wait their turn' },
  BUILD_QUEUE_LIMIT: { kind: 'int', default: '500', min: 0, max: 100000, description: 'builds that may wait; past it /compile answers 503' },
  COMPILE_MAX_BODY_BYTES: { kind: 'int', default: String(128 << 10), min: 1024, max: 16 << 20, description: 'largest /compile, /fmt or /vet request body (413 past it)' },
  SHARE_MAX_BYTES: { kind: 'int', default: String(64 << 10), min: 1024, max: 16 << 20, description: 'largest shared snippet (413 "Snippet is too large")' },
  CACHE_MAX_BYTES: { kind: 'int', default: String(64 << 20), min: 0, max: 1 << 30, description: 'memory for cached /compile answers (0 turns the cache off)' },
  CACHE_URL: { kind: 'string', default: '', check: cacheUrl, description: 'where cached /compile answers are kept: empty for this frontend\'s memory, or memcached://host:port to share them between frontends' },
  DATABASE_PATH: { kind: 'string', default: '', description: 'SQLite database file (default: var/data/playground.sqlite); unused when DATABASE_URL is set' },
  DATABASE_URL: { kind: 'string', default: '', secret: true, check: databaseUrl, description: 'postgres://user:password@host:port/database: PostgreSQL instead of SQLite, for several frontends on one database (never logged)' },
  CONTROL_STATE_POLL_MS: { kind: 'int', default: '1000', min: 50, max: 60000, description: 'how often a frontend looks for a change of the flags or the release-day switch made by another frontend: the bound within which all obey it' },
  FRONTEND_ID: { kind: 'string', default: '', description: 'name of this frontend among several on one database (default: host name and FRONTEND_PORT); a restarted frontend takes up its own pending shadows at once' },
  SHADOW_TAKEOVER_MS: { kind: 'int', default: '30000', min: 1000, max: 3600000, description: 'a pending shadow whose frontend has not renewed its claim for this long is taken over by another frontend' },

  // Control plane
  SHADOW_QUEUE_SIZE: { kind: 'int', default: '50', min: 0, max: 100000, description: 'dual runs that may wait; past it a shadow is dropped (and counted)' },
  SHADOW_CONCURRENCY: { kind: 'int', default: '1', min: 1, max: 16, description: 'dual runs at once (they run behind the answers, at low priority)' },
  DUALRUN_RETENTION_DAYS: { kind: 'int', default: '30', min: 1, max: 3650, description: 'dual runs older than this are deleted' },
  DUALRUN_MAX_ROWS: { kind: 'int', default: '100000', min: 100, max: 10000000, description: 'at most this many dual runs are kept (oldest go first)' },
  READINESS_WINDOW_HOURS: { kind: 'int', default: '168', min: 1, max: 8760, description: 'dual runs this recent count as release-day evidence' },
  READINESS_MIN_RUNS: { kind: 'int', default: '300', min: 1, max: 10000000, description: 'distinct programs (by program hash, within the per-client cap) needed in the window before release day' },
  READINESS_MAX_MISMATCH_RATE: { kind: 'percent', default: '1', description: 'highest acceptable mismatch rate, in %, as the 95 % upper confidence bound over distinct programs' },
  READINESS_MIN_PER_KIND: { kind: 'int', default: '10', min: 0, max: 1000000, description: 'distinct programs needed of each program kind (plain, test, multi-file, module)' },
  READINESS_MAX_PROGRAMS_PER_CLIENT: { kind: 'int', default: '20', min: 1, max: 1000000, description: 'most distinct programs one client (address; IPv6 by /64) adds to the readiness evidence; its further programs are stored but not counted' },
  RELEASE_SCHEDULE_POLL_MS: { kind: 'int', default: '5000', min: 100, max: 600000, description: 'how often a scheduled release-day flip is checked for' },
  ADMIN_TOKENS: { kind: 'string', default: '', secret: true, description: 'admin API tokens: comma-separated token:role[:name], role viewer or release-manager' },
  TRUST_PROXY: { kind: 'string', default: 'false', check: (v) => void parseTrustProxy(v), description: 'which proxies\' X-Forwarded-For to believe: false, the number of proxies in front of the service, or their addresses/networks (comma-separated; loopback, linklocal, uniquelocal)' },
  RATE_LIMIT_PER_MINUTE: { kind: 'int', default: '120', min: 0, max: 1000000, description: '/compile, /fmt, /vet and /share requests per client address per minute (0: unlimited)' },
} satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
