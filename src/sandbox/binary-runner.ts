import { RunResult } from '../contract/run-result';

/**
 * Something that can run one kind of binary: the gVisor pool for linux/amd64, and whatever the
 * legacy plugin registers (sel_ldr for NaCl, runc for the 32-bit emulation).
 */
export interface BinaryRunner {
  /** Names the pool in metrics and health output, e.g. "gvisor". */
  readonly id: string;
  /** A short human description of the kind of binary, for errors and /healthz. */
  readonly accepts: string;
  /** Serves the legacy role: drained on release day. */
  readonly legacy: boolean;
  matches(binary: Buffer): boolean;
  run(binary: Buffer, args: string[], signal?: AbortSignal): Promise<RunResult>;
  /** Runs a trivial program for real; throws with a reason when the runner is broken. */
  healthCheck(): Promise<void>;
  /** Why this runner cannot run anything, or null when it can. */
  unavailableReason(): string | null;
  /** The latest failure to start a container, if the pool is failing now. */
  readonly poolError: string | null;
  readonly poolReady: number;
  /** Warm containers wanted (0 drains the pool). */
  resize(size: number): void;
  readonly configuredPoolSize: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export const BINARY_RUNNERS = Symbol('BINARY_RUNNERS');
