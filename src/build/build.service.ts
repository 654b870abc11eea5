import { Injectable, Logger } from '@nestjs/common';
import * as path from 'path';
import { Settings } from '../config/settings';
import { varDir } from '../paths';
import { BuildGate } from './build-gate';
import { BuildTarget } from './build-target';
import { BuildOutcome, BuildRequest, buildProgram } from './go-builder';
import { BuildSandbox, sandboxUser } from './sandbox/build-sandbox';
import { BuildCgroups } from './sandbox/build-cgroup';
import { ModuleProxyRelay } from './sandbox/module-proxy-relay';
import { RelayCache } from './sandbox/relay-cache';
import { parseGoproxy } from './sandbox/upstream-proxies';
import type { Toolchain } from './toolchain';

const MB = 1024 * 1024;

/**
 * Every go tool run over a user's files goes through here: one gate so the machine is never
 * oversubscribed (public requests before shadows), and one build sandbox.
 */
@Injectable()
export class BuildService {
  private readonly log = new Logger('builds');
  private readonly gate: BuildGate;
  readonly sandbox: BuildSandbox;
  private readonly relay: ModuleProxyRelay;
  private readonly problems = new Map<string, string | null>();

  constructor(private readonly settings: Settings) {
    this.gate = new BuildGate(settings.get('BUILD_CONCURRENCY'), settings.get('BUILD_QUEUE_LIMIT'));
    const { cgroups, reason } = BuildCgroups.detect(settings.get('BUILD_CGROUP'));
    if (!cgroups) this.log.warn(`builds run without a memory and process cgroup (${reason}): only per-process limits bound them`);
    const cacheMb = settings.get('MODULE_PROXY_CACHE_MB');
    this.relay = new ModuleProxyRelay(
      parseGoproxy(settings.get('GOPROXY')),
      cacheMb > 0 ? new RelayCache(path.join(varDir(), 'data', 'module-proxy-cache'), cacheMb * MB) : null,
      { maxRequests: 1000, maxAnswerBytes: 500 * MB },
      sandboxUser(),
    );
    this.sandbox = new BuildSandbox({
      helper: path.join(varDir(), 'bin', 'build-helper'),
      bwrap: settings.get('BUILD_BWRAP'),
      cacheRoot: path.join(varDir(), 'build-cache'),
      memoryBytes: settings.get('BUILD_MEMORY_MB') * MB,
      pids: settings.get('BUILD_PIDS_LIMIT'),
      tmpfsBytes: settings.get('BUILD_TMPFS_MB') * MB,
      fileBytes: settings.get('SANDBOX_MAX_BINARY_BYTES') + 16 * MB,
      cgroups,
      relay: this.relay,
    });
  }

  /** Checks once per toolchain that the sandbox runs; the reason it does not, or null. */
  async checkSandbox(toolchain: Toolchain): Promise<string | null> {
    if (!this.problems.has(toolchain.version)) {
      const problem = await this.sandbox.problem(toolchain);
      if (problem) this.log.error(`build sandbox for ${toolchain.version}: ${problem}`);
      this.problems.set(toolchain.version, problem);
    }
    return this.problems.get(toolchain.version)!;
  }

  /** The last check's verdict for a toolchain (unknown until checked). */
  sandboxProblem(toolchain: Toolchain): string | null {
    return this.problems.has(toolchain.version) ? this.problems.get(toolchain.version)! : 'the build sandbox has not been checked yet';
  }

  /** Runs any other sandboxed tool work (formatting) through the same gate as builds. */
  gated<T>(task: () => Promise<T>, background = false): Promise<T> {
    return this.gate.run(task, background);
  }

  build(target: BuildTarget, req: BuildRequest): Promise<BuildOutcome> {
    return this.gate.run(() => buildProgram(this.sandbox, target, req, {
      timeoutMs: this.settings.get('BUILD_TIMEOUT_MS'),
      maxBinaryBytes: this.settings.get('SANDBOX_MAX_BINARY_BYTES'),
      memoryMb: this.settings.get('BUILD_MEMORY_MB'),
      proxyDisplay: this.relay.display,
    }), req.lowPriority);
  }
}
