import { BuildService } from '../build/build.service';
import { resolveGo, toolchainVersionOf } from '../build/toolchain';
import { BuildTarget } from '../build/build-target';
import { BuildRequest, BuildOutcome } from '../build/go-builder';
import { SandboxClient } from '../run/sandbox-client';
import { SandboxStatus } from '../run/sandbox-status';
import { RunResult } from '../sandbox/run-result';
import { Availability, ExecutionBackend } from './execution-backend';

export const LINUX_AMD64 = 'linux-amd64';

/** The new backend: plain linux/amd64 binaries on virtual time, run under gVisor. */
export class LinuxAmd64Backend implements ExecutionBackend {
  readonly id = LINUX_AMD64;
  readonly label = 'linux/amd64 under gVisor';
  readonly legacy = false;
  readonly emulation = false;
  private readonly target: BuildTarget | null;
  private readonly problem?: string;

  constructor(goSetting: string, private readonly builds: BuildService, private readonly sandbox: SandboxClient, private readonly status: SandboxStatus) {
    const goBin = resolveGo(goSetting);
    try {
      this.target = { goBin, goos: 'linux', goarch: 'amd64', tags: ['faketime'], toolchainVersion: toolchainVersionOf(goBin) };
    } catch (e) {
      this.target = null;
      this.problem = `no usable Go toolchain at ${goBin} (${(e as Error).message.split('\n')[0]}); set PLAYGROUND_GO`;
    }
  }

  availability(): Availability {
    if (!this.target) return { available: false, reason: this.problem };
    return this.status.runner('gvisor');
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
