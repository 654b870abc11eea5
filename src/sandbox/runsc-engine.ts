import * as fs from 'fs';
import * as path from 'path';
import { Logger } from '@nestjs/common';
import { SandboxLimits } from './container-spec';
import { sandboxOciSpec } from './oci-spec';
import { removeLeftoverSandboxes, RunscCommand, RunscSandbox } from './runsc-sandbox';
import { SandboxEngine, WarmSandbox } from './warm-sandbox';
import { maxResultBytes } from './supervisor-channel';

export interface RunscEngineOptions {
  binary: string;
  platform: string;
  /** Our own directory: runsc's state in state/, the bundles in bundles/. */
  root: string;
  rootfs: string;
  cgroupParent: string;
  limits: SandboxLimits;
}

/**
 * Starts sandboxes with `runsc run` straight from this process (SANDBOX_ENGINE=runsc): no
 * dockerd, containerd, shim or image snapshot per run, and the supervisor's pipes are ours.
 * runsc needs root (it makes namespaces, a chroot and cgroups), which the docker group amounts
 * to anyway.
 */
export class RunscEngine implements SandboxEngine {
  private readonly log = new Logger('runsc');
  private readonly cmd: RunscCommand;

  constructor(private readonly options: RunscEngineOptions) {
    this.cmd = {
      binary: options.binary,
      platform: options.platform,
      stateDir: path.join(options.root, 'state'),
      bundlesDir: path.join(options.root, 'bundles'),
    };
  }

  unavailableReason(): string | null {
    if (process.getuid?.() !== 0) return 'SANDBOX_ENGINE=runsc needs the sandbox service to run as root (runsc makes namespaces and cgroups); use SANDBOX_ENGINE=docker otherwise';
    if (!fs.existsSync(this.options.binary)) return `no runsc at ${this.options.binary} (SANDBOX_RUNSC_BINARY)`;
    if (!fs.existsSync(path.join(this.options.rootfs, 'supervisor'))) return `no sandbox root file system at ${this.options.rootfs} (SANDBOX_ROOTFS; made by scripts/sandbox-image.sh)`;
    return null;
  }

  launch(name: string): Promise<WarmSandbox> {
    fs.mkdirSync(this.cmd.bundlesDir, { recursive: true, mode: 0o700 });
    fs.mkdirSync(this.cmd.stateDir, { recursive: true, mode: 0o700 });
    // The link is resolved once per sandbox, so a new image laid out meanwhile applies to the next.
    const rootfs = fs.realpathSync(this.options.rootfs);
    const config = sandboxOciSpec({ name, rootfs, cgroupParent: this.options.cgroupParent, limits: this.options.limits });
    return RunscSandbox.start(this.cmd, name, config, maxResultBytes(this.options.limits));
  }

  async removeLeftovers(prefix: string): Promise<number> {
    if (this.unavailableReason()) return 0;
    try {
      return await removeLeftoverSandboxes(this.cmd, prefix);
    } catch (e) {
      this.log.warn(`could not look for leftover sandboxes: ${(e as Error).message}`);
      return 0;
    }
  }
}
