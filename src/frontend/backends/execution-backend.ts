import type { BuildOutcome, BuildRequest } from '../builder/go-builder';
import type { RunResult } from '../../contract/run-result';
import type { BuildTarget } from '../builder/build-target';

export interface Availability {
  available: boolean;
  /** Why not, in words an operator can act on. */
  reason?: string;
}

/**
 * One way of executing playground programs end to end: how to build for it and where to run
 * the result. The frontend only ever talks to backends through this interface.
 */
export interface ExecutionBackend {
  /** Stable id used in routing, headers, the database and the admin API, e.g. "linux-amd64". */
  readonly id: string;
  /** Human label; an emulation must say so. */
  readonly label: string;
  /** True for the legacy role (NaCl or its emulation). */
  readonly legacy: boolean;
  /** True when this backend imitates another platform rather than being it. */
  readonly emulation: boolean;
  availability(): Availability;
  toolchainVersion(): string;
  /** What its builds target, when it has a usable toolchain (checked in the build sandbox at start-up, warmed by the set-up). */
  buildTarget(): BuildTarget | undefined;
  build(req: BuildRequest): Promise<BuildOutcome>;
  run(binary: Buffer, args: string[]): Promise<RunResult>;
}
