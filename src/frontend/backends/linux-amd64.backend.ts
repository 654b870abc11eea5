import { BuildService } from '../builder/build.service';
import { SandboxClient } from '../sandbox-client/sandbox-client';
import { SandboxStatus } from '../sandbox-client/sandbox-status';
import { SandboxedGoBackend } from './sandboxed-go.backend';
import { GVISOR_RUNNER } from '../../contract/sandbox-status';

const LINUX_AMD64 = 'linux-amd64';

/** linux-amd64: plain linux/amd64 binaries on virtual time, run under gVisor. */
export class LinuxAmd64Backend extends SandboxedGoBackend {
  readonly id = LINUX_AMD64;
  readonly label = 'linux/amd64 under gVisor';
  readonly legacy = false;
  readonly emulation = false;

  constructor(goSetting: string, builds: BuildService, sandbox: SandboxClient, status: SandboxStatus) {
    super(goSetting, { goos: 'linux', goarch: 'amd64', runner: GVISOR_RUNNER }, builds, sandbox, status);
  }
}
