import { RunResult } from '../contract/run-result';

/**
 * One started sandbox whose supervisor waits for its one program; used for exactly one program
 * and then destroyed. Docker containers (WarmContainer) and runsc sandboxes started without
 * Docker (RunscSandbox) are both this.
 */
export interface WarmSandbox {
  readonly id: string;
  /** True once the sandbox can no longer take a program. */
  readonly dead: boolean;
  /** Settles once the supervisor wrote its result line, or the sandbox went away without one. */
  readonly result: Promise<RunResult>;
  /** Hands the program to the supervisor. */
  send(binary: Buffer, args: string[], loader?: string[]): void;
  /**
   * The exit status of a sandbox that ended by itself (the program took it down: 137 for the
   * memory limit's SIGKILL), or null when we, its engine or an operator ended it.
   */
  exitOnItsOwn(): Promise<number | null>;
  /** Removes the sandbox; safe to call more than once and never throws. */
  destroy(): Promise<void>;
}

/** Starts one sandbox named `name`. */
export type SandboxLauncher = (name: string) => Promise<WarmSandbox>;

/** How a pool's sandboxes are started: through Docker, or by runsc directly. */
export interface SandboxEngine {
  /** Starts one sandbox named `name`. */
  launch(name: string): Promise<WarmSandbox>;
  /** Removes this engine's sandboxes whose names start with `prefix` (a crash's leftovers). */
  removeLeftovers(prefix: string): Promise<number>;
  /** Why this engine cannot start sandboxes here, or null. */
  unavailableReason(): string | null;
}
