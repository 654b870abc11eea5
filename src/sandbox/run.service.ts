import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Docker from 'dockerode';
import { BINARY_RUNNERS, BinaryRunner } from './binary-runner';
import { RunQueue } from './run-queue';
import { OUTPUT_TOO_LARGE, RunResult, SandboxBusy, SandboxFailure, TIMEOUT_ERROR } from './run-result';
import { SandboxMetrics } from './sandbox-metrics';
import { Settings } from '../config/settings';
import { removeLeftoverContainers } from './leak-reaper';

export class UnsupportedBinary extends Error {}

/** Routes a binary to the runner for its kind, through the bounded run queue. */
@Injectable()
export class RunService implements OnApplicationShutdown {
  private readonly log = new Logger('sandbox');
  private readonly queue: RunQueue;

  constructor(
    @Inject(BINARY_RUNNERS) readonly runners: BinaryRunner[],
    private readonly docker: Docker,
    private readonly settings: Settings,
    private readonly metrics: SandboxMetrics,
  ) {
    this.queue = new RunQueue(settings.get('SANDBOX_MAX_CONCURRENT_RUNS'), settings.get('SANDBOX_QUEUE_LIMIT'));
  }

  /**
   * Called once the port is ours: a second instance that fails to listen must not remove the
   * first one's containers as "leftovers".
   */
  async start(): Promise<void> {
    const removed = await removeLeftoverContainers(this.docker, this.settings.get('SANDBOX_CONTAINER_PREFIX')).catch((e: Error) => {
      this.log.warn(`could not look for leftover containers: ${e.message}`);
      return 0;
    });
    if (removed) this.log.log(`removed ${removed} leftover sandbox container(s)`);
    for (const r of this.runners) {
      const why = r.unavailableReason();
      if (why) this.log.warn(`runner ${r.id} (${r.accepts}) unavailable: ${why}`);
      await r.start();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
    await removeLeftoverContainers(this.docker, this.settings.get('SANDBOX_CONTAINER_PREFIX')).catch(() => 0);
  }

  get queued(): number {
    return this.queue.depth;
  }

  runnerFor(binary: Buffer): BinaryRunner {
    const runner = this.runners.find((r) => r.matches(binary));
    if (!runner) {
      const kinds = this.runners.map((r) => r.accepts).join(', ');
      throw new UnsupportedBinary(`unsupported binary: this sandbox runs ${kinds}`);
    }
    return runner;
  }

  async run(binary: Buffer, args: string[], signal?: AbortSignal): Promise<RunResult> {
    const runner = this.runnerFor(binary);
    const began = process.hrtime.bigint();
    let outcome = 'failure';
    try {
      this.metrics.queueDepth.set(this.queue.depth);
      const result = await this.queue.schedule(() => runner.run(binary, args, signal), signal);
      outcome = result.error === TIMEOUT_ERROR ? 'timeout' : result.error === OUTPUT_TOO_LARGE ? 'too_large' : result.exitCode === 0 ? 'ok' : 'exit';
      return result;
    } catch (e) {
      if (e instanceof SandboxBusy) outcome = 'busy';
      else if (signal?.aborted) outcome = 'abandoned';
      throw e;
    } finally {
      this.metrics.runs.inc({ pool: runner.id, outcome });
      this.metrics.runSeconds.observe({ pool: runner.id }, Number(process.hrtime.bigint() - began) / 1e9);
      this.metrics.queueDepth.set(this.queue.depth);
    }
  }

  isSandboxFailure(e: unknown): e is SandboxFailure {
    return e instanceof SandboxFailure;
  }
}
