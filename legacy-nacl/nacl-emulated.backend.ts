import type { BuildService } from '../src/build/build.service';
import { resolveGo, toolchainVersionOf } from '../src/build/toolchain';
import type { BuildTarget } from '../src/build/build-target';
import type { BuildOutcome, BuildRequest } from '../src/build/go-builder';
import type { Availability, ExecutionBackend } from '../src/backends/execution-backend';
import type { SandboxClient } from '../src/run/sandbox-client';
import type { SandboxStatus } from '../src/run/sandbox-status';
import type { RunResult } from '../src/sandbox/run-result';

export const NACL_EMULATED = 'nacl-emulated';
/** The sandbox runner for the emulation's 32-bit binaries. */
export const EMULATED_RUNNER = 'emulated-386';

/**
 * An EMULATION of the legacy platform, not NaCl: linux/386 binaries (32-bit int and pointers,
 * like amd64p32) on virtual time, run under runc because gVisor cannot run 32-bit code. It
 * reproduces what programs can observe of word size; not NaCl's syscalls, GOOS, or toolchain.
 */
export class NaclEmulatedBackend implements ExecutionBackend {
  readonly id = NACL_EMULATED;
  readonly label = 'NaCl emulation (linux/386 under runc, not real NaCl)';
  readonly legacy = true;
  readonly emulation = true;
  private readonly target: BuildTarget | null;
  private readonly problem?: string;

  constructor(goSetting: string, private readonly builds: BuildService, private readonly sandbox: SandboxClient, private readonly status: SandboxStatus) {
    const goBin = resolveGo(goSetting);
    try {
      this.target = { goBin, goos: 'linux', goarch: '386', tags: ['faketime'], toolchainVersion: toolchainVersionOf(goBin) };
    } catch (e) {
      this.target = null;
      this.problem = `no usable Go toolchain at ${goBin}: ${(e as Error).message.split('\n')[0]}`;
    }
  }

  availability(): Availability {
    if (!this.target) return { available: false, reason: this.problem };
    return this.status.runner(EMULATED_RUNNER);
  }

  toolchainVersion(): string {
    return this.target?.toolchainVersion ?? 'unknown';
  }

  build(req: BuildRequest): Promise<BuildOutcome> {
    if (!this.target) throw new Error(this.problem);
    return this.builds.build(this.target, req);
  }

  run(binary: Buffer, args: string[]): Promise<RunResult> {
    return this.sandbox.run(binary, args);
  }
}
