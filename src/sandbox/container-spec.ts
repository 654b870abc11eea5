import type { ContainerCreateOptions } from 'dockerode';

export interface SandboxLimits {
  memoryMb: number;
  pidsLimit: number;
  processLimit: number;
  tmpfsMb: number;
  runTimeoutMs: number;
  outputLimitBytes: number;
  maxBinaryBytes: number;
}

/** Room /tmp keeps beside the binary: block rounding, and the program's first few files. */
const TMPFS_HEADROOM_BYTES = 1 << 20;

/** The largest binary a run can take: the binary limit, or what fits the /tmp it is written to. */
export function largestBinary(limits: Pick<SandboxLimits, 'maxBinaryBytes' | 'tmpfsMb'>): number {
  return Math.min(limits.maxBinaryBytes, limits.tmpfsMb * (1 << 20) - TMPFS_HEADROOM_BYTES);
}

/** What a pool may tighten beyond the common shape (the runc-run emulation needs it; gVisor does not). */
export interface ContainerConfinement {
  /** "uid:gid" the container runs as (65534:65534 unless given). */
  user?: string;
  /** A seccomp profile in Docker's JSON format, instead of the runtime's default one. */
  seccompProfile?: string;
  /** CPU quota in billionths of a CPU (Docker's NanoCpus). */
  nanoCpus?: number;
}

export interface ContainerSpecInput {
  image: string;
  runtime: string;
  name: string;
  pool: string;
  limits: SandboxLimits;
  confinement?: ContainerConfinement;
  /** The cgroup the container's own goes under (Docker's default, /docker, when not given). */
  cgroupParent?: string;
}

/** What the supervisor reads from its environment: the run's limits. */
export function supervisorEnv(limits: SandboxLimits): string[] {
  return [
    `SANDBOX_RUN_TIMEOUT_MS=${limits.runTimeoutMs}`,
    `SANDBOX_OUTPUT_LIMIT_BYTES=${limits.outputLimitBytes}`,
    `SANDBOX_MAX_BINARY_BYTES=${limits.maxBinaryBytes}`,
    `SANDBOX_PROCESS_LIMIT=${limits.processLimit}`,
  ];
}

/** The mount options of the run's /tmp: exec-able (it holds the binary), size-limited. */
export function tmpfsOptions(limits: SandboxLimits): string {
  return `rw,exec,nosuid,nodev,size=${limits.tmpfsMb}m,mode=1777`;
}

/**
 * The locked-down shape of every sandbox container. The runtime (gVisor) is the trust boundary;
 * everything here is defence in depth around it, and the same for every pool.
 */
export function sandboxContainerSpec(input: ContainerSpecInput): ContainerCreateOptions {
  const { limits } = input;
  const confine = input.confinement ?? {};
  const memory = limits.memoryMb * 1024 * 1024;
  return {
    name: input.name,
    Image: input.image,
    User: confine.user ?? '65534:65534',
    Env: supervisorEnv(limits),
    // The supervisor waits for its program on stdin; stdout carries back one result line.
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: true,
    Tty: false,
    NetworkDisabled: true,
    Labels: { 'playground.sandbox': 'run', 'playground.pool': input.pool },
    HostConfig: {
      Runtime: input.runtime,
      NetworkMode: 'none',
      Memory: memory,
      MemorySwap: memory,
      PidsLimit: limits.pidsLimit,
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': tmpfsOptions(limits) },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges', ...(confine.seccompProfile ? [`seccomp=${confine.seccompProfile}`] : [])],
      ...(confine.nanoCpus ? { NanoCpus: confine.nanoCpus } : {}),
      ...(input.cgroupParent ? { CgroupParent: `/${input.cgroupParent}` } : {}),
      // Output travels over the attach stream; a log file would only cost disk.
      LogConfig: { Type: 'none', Config: {} },
      Binds: [],
      Mounts: [],
    },
  };
}
