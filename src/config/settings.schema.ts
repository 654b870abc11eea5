import * as os from 'os';

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
}

const cores = Math.max(1, os.cpus().length);

export const SETTINGS = {
  // Sandbox backend
  SANDBOX_HOST: { kind: 'string', default: '127.0.0.1', description: 'address the sandbox backend listens on' },
  SANDBOX_PORT: { kind: 'int', default: '8081', min: 0, max: 65535, description: 'port of the sandbox backend' },
  SANDBOX_IMAGE: { kind: 'string', default: 'playground-sandbox:latest', description: 'container image of the sandbox (built by scripts/sandbox-image.sh)' },
  SANDBOX_RUNTIME: { kind: 'string', default: 'runsc', description: 'Docker runtime for linux/amd64 runs (gVisor)' },
  SANDBOX_RUNSC_PLATFORM: { kind: 'string', default: 'ptrace', description: 'gVisor platform registered by the set-up (ptrace; kvm hangs on these machines)' },
  SANDBOX_POOL_SIZE: { kind: 'int', default: String(cores), min: 0, max: 64, description: 'pre-started containers kept warm per pool (default: one per core)' },
  SANDBOX_MAX_CONCURRENT_RUNS: { kind: 'int', default: String(cores * 2), min: 1, max: 256, description: 'programs running at once; more wait in the queue' },
  SANDBOX_QUEUE_LIMIT: { kind: 'int', default: '200', min: 0, max: 10000, description: 'runs that may wait; past it /run answers 503' },
  SANDBOX_MEMORY_MB: { kind: 'int', default: '100', min: 16, max: 4096, description: 'memory limit of one run' },
  SANDBOX_PIDS_LIMIT: { kind: 'int', default: '128', min: 8, max: 4096, description: 'process/thread limit of one run' },
  SANDBOX_TMPFS_MB: { kind: 'int', default: '110', min: 8, max: 4096, description: 'size of the exec-able /tmp of one run (holds the binary)' },
  SANDBOX_RUN_TIMEOUT_MS: { kind: 'int', default: '5000', min: 100, max: 600000, description: 'wall-clock limit of one run (then interrupt, then kill)' },
  SANDBOX_OUTPUT_LIMIT_BYTES: { kind: 'int', default: String(1 << 20), min: 1024, max: 1 << 30, description: 'cap on each output stream; past it: "Output too large"' },
  SANDBOX_MAX_BINARY_BYTES: { kind: 'int', default: String(100 << 20), min: 1024, max: 1 << 30, description: 'largest binary /run accepts (413 past it)' },
  SANDBOX_CONTAINER_PREFIX: { kind: 'string', default: 'play_run_', description: 'name prefix of sandbox containers; leftovers with it are removed at start-up and shutdown' },
} satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
