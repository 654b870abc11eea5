import type { ToolchainEntry } from '../../platform/config/toolchain-list';
import { BuildService } from '../builder/build.service';
import { SandboxClient } from '../sandbox-client/sandbox-client';
import { SandboxStatus } from '../sandbox-client/sandbox-status';
import { SandboxedGoBackend } from './sandboxed-go.backend';
import { GVISOR_RUNNER } from '../../contract/sandbox-status';

const LINUX_AMD64 = 'linux-amd64';

/**
 * The new backend: plain linux/amd64 binaries on virtual time, run under gVisor. Each Go
 * release served is one of these: the default toolchain's is "linux-amd64", another release's
 * is "linux-amd64@go1.25.14", so routing, dual runs and evidence tell (platform, toolchain)
 * pairs apart.
 */
export class LinuxAmd64Backend extends SandboxedGoBackend {
  readonly id: string;
  readonly label: string;
  readonly legacy = false;
  readonly emulation = false;

  /** `release` is absent for the default toolchain (PLAYGROUND_GO). */
  constructor(goBin: string, builds: BuildService, sandbox: SandboxClient, status: SandboxStatus, readonly release?: ToolchainEntry) {
    super(goBin, { goos: 'linux', goarch: 'amd64', runner: GVISOR_RUNNER }, builds, sandbox, status, release && {
      version: release.version,
      fix: `${release.name}=${release.version} of PLAYGROUND_TOOLCHAINS is fetched by the set-up (npm start, or scripts/setup.sh)`,
    });
    this.id = release ? `${LINUX_AMD64}@${release.version}` : LINUX_AMD64;
    this.label = release ? `linux/amd64 under gVisor, ${release.version} (backend=${release.name})` : 'linux/amd64 under gVisor';
  }
}
