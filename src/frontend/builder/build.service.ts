import { Injectable, Logger } from '@nestjs/common';
import * as path from 'path';
import { Settings } from '../../platform/config/settings';
import { varDir } from '../../platform/paths';
import { BoundedQueue } from '../../platform/bounded-queue';
import { BuildQueueFull } from './build-queue-full.error';
import { BuildTarget } from './build-target';
import { BuildOutcome, BuildRequest, buildProgram } from './go-builder';
import { BuildSandbox, sandboxUser } from './sandbox/build-sandbox';
import { BuildCgroups } from './sandbox/build-cgroup';
import { ModuleProxyRelay } from './sandbox/module-proxy-relay';
import { RelayCache } from './sandbox/relay-cache';
import { parseGoproxy } from './sandbox/upstream-proxies';
import type { Toolchain } from './toolchain';

const MB = 1024 * 1024;
const RECHECK_MS = 10_000;

/**
 * Every go tool run over a user's files goes through here: one gate so the machine is never
 * oversubscribed (public requests before shadows), and one build sandbox.
 */
@Injectable()
export class BuildService {
  private readonly log = new Logger('builds');
  private readonly gate: BoundedQueue;
  readonly sandbox: BuildSandbox;
  private readonly relay: ModuleProxyRelay;
  /** The build sandbox's verdict per toolchain, and when it was reached. */
  private readonly problems = new Map<string, { problem: string | null; at: number }>();

  constructor(private readonly settings: Settings) {
    this.gate = new BoundedQueue(settings.get('BUILD_CONCURRENCY'), {
      maxWaiting: settings.get('BUILD_QUEUE_LIMIT'),
      full: (waiting) => new BuildQueueFull(`too many programs waiting to build (${waiting}); try again shortly`),
    });
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

  /** Checks that the sandbox runs a toolchain's go command; the reason it does not, or null. */
  async checkSandbox(toolchain: Toolchain): Promise<string | null> {
    const problem = await this.sandbox.problem(toolchain);
    const before = this.problems.get(toolchain.version);
    if (problem && problem !== before?.problem) this.log.error(`build sandbox for ${toolchain.version}: ${problem}`);
    if (!problem && before?.problem) this.log.log(`build sandbox for ${toolchain.version} works again`);
    this.problems.set(toolchain.version, { problem, at: Date.now() });
    return problem;
  }

  /**
   * The last check's verdict for a toolchain (unknown until checked). A failing sandbox is
   * checked again in the background now and then, so a passing trouble heals by itself.
   */
  sandboxProblem(toolchain: Toolchain): string | null {
    const v = this.problems.get(toolchain.version);
    if (!v) return 'the build sandbox has not been checked yet';
    if (v.problem && Date.now() - v.at > RECHECK_MS) {
      v.at = Date.now();
      void this.checkSandbox(toolchain);
    }
    return v.problem;
  }

  /** Runs any other sandboxed tool work (formatting) through the same gate as builds. */
  gated<T>(task: () => Promise<T>, background = false): Promise<T> {
    return this.gate.run(task, { background });
  }

  build(target: BuildTarget, req: BuildRequest): Promise<BuildOutcome> {
    return this.gate.run(() => buildProgram(this.sandbox, target, req, {
      timeoutMs: this.settings.get('BUILD_TIMEOUT_MS'),
      maxBinaryBytes: this.settings.get('SANDBOX_MAX_BINARY_BYTES'),
      memoryMb: this.settings.get('BUILD_MEMORY_MB'),
      proxyDisplay: this.relay.display,
    }), { background: req.lowPriority });
  }
}
