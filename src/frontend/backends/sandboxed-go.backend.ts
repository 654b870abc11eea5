import { BuildService } from '../builder/build.service';
import { describeToolchain, resolveGo } from '../builder/toolchain';
import { BuildTarget } from '../builder/build-target';
import { BuildRequest, BuildOutcome } from '../builder/go-builder';
import { SandboxClient } from '../sandbox-client/sandbox-client';
import { SandboxStatus } from '../sandbox-client/sandbox-status';
import { RunResult } from '../../contract/run-result';
import { Availability, ExecutionBackend } from './execution-backend';

/** A toolchain that must be one release exactly, and what to do when it is not there. */
export interface ExpectedToolchain {
  version: string;
  fix: string;
}

export interface SandboxedGoTarget {
  goos: string;
  goarch: string;
  /** The sandbox runner (pool) that takes this target's binaries. */
  runner: string;
}

/**
 * A backend built with this service's own Go toolchain (faketime) and run by one of the
 * sandbox's runners: available while the toolchain works and that runner's pool is up.
 */
export abstract class SandboxedGoBackend implements ExecutionBackend {
  abstract readonly id: string;
  abstract readonly label: string;
  abstract readonly legacy: boolean;
  abstract readonly emulation: boolean;
  private readonly target: BuildTarget | null;
  private readonly problem?: string;

  constructor(
    goSetting: string,
    private readonly where: SandboxedGoTarget,
    private readonly builds: BuildService,
    private readonly sandbox: SandboxClient,
    private readonly status: SandboxStatus,
    expected?: ExpectedToolchain,
  ) {
    const goBin = resolveGo(goSetting);
    try {
      const toolchain = describeToolchain(goBin);
      if (expected && toolchain.version !== expected.version) throw new Error(`it is ${toolchain.version}, not ${expected.version}`);
      this.target = { toolchain, goos: where.goos, goarch: where.goarch, tags: ['faketime'] };
    } catch (e) {
      this.target = null;
      this.problem = `no usable Go toolchain at ${goBin} (${(e as Error).message.split('\n')[0]}); ${expected?.fix ?? 'set PLAYGROUND_GO'}`;
    }
  }

  availability(): Availability {
    if (!this.target) return { available: false, reason: this.problem };
    const sandbox = this.builds.sandboxProblem(this.target.toolchain);
    if (sandbox) return { available: false, reason: sandbox };
    return this.status.runner(this.where.runner);
  }

  toolchainVersion(): string {
    return this.target?.toolchain.version ?? 'unknown';
  }

  buildTarget(): BuildTarget | undefined {
    return this.target ?? undefined;
  }

  build(req: BuildRequest): Promise<BuildOutcome> {
    if (!this.target) throw new Error(this.problem);
    return this.builds.build(this.target, req);
  }

  run(binary: Buffer, args: string[]): Promise<RunResult> {
    return this.sandbox.run(binary, args, this.where.runner);
  }
}
