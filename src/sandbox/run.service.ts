import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Docker from 'dockerode';
import { BINARY_RUNNERS, BinaryRunner } from './binary-runner';
import { BoundedQueue } from '../platform/bounded-queue';
import { RunAdmission } from './run-admission';
import { largestBinary } from './container-spec';
import { OUTPUT_TOO_LARGE, RunResult, SandboxBusy, SandboxDraining, SandboxFailure, TIMEOUT_ERROR } from '../contract/run-result';
import { SandboxMetrics } from './sandbox-metrics';
import { Settings } from '../platform/config/settings';
import { removeLeftoverContainers } from './leak-reaper';

export class UnsupportedBinary extends Error {}

const MiB = 1 << 20;
/** Past a run's own limit, what a drain waits for uploads and answers to finish. */
const DRAIN_SLACK_MS = 5_000;

/** Routes a binary to the runner for its kind, through the bounded run queue. */
@Injectable()
export class RunService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly log = new Logger('sandbox');
  private readonly queue: BoundedQueue;
  private readonly admission: RunAdmission;
  /** The largest binary a run takes: the binary limit, or less when /tmp is smaller. */
  readonly maxBinaryBytes: number;
  private drainingSince: number | null = null;

  constructor(
    @Inject(BINARY_RUNNERS) readonly runners: BinaryRunner[],
    private readonly docker: Docker,
    private readonly settings: Settings,
    private readonly metrics: SandboxMetrics,
  ) {
    const concurrent = settings.get('SANDBOX_MAX_CONCURRENT_RUNS');
    this.queue = new BoundedQueue(concurrent);
    this.maxBinaryBytes = largestBinary({ maxBinaryBytes: settings.get('SANDBOX_MAX_BINARY_BYTES'), tmpfsMb: settings.get('SANDBOX_TMPFS_MB') });
    const binaryMemory = settings.get('SANDBOX_BINARY_MEMORY_MB') * MiB;
    if (binaryMemory < this.maxBinaryBytes) {
      throw new Error(`SANDBOX_BINARY_MEMORY_MB (${binaryMemory / MiB}) must hold at least one binary of the largest size a run takes (${Math.ceil(this.maxBinaryBytes / MiB)} MiB)`);
    }
    this.admission = new RunAdmission(concurrent + settings.get('SANDBOX_QUEUE_LIMIT'), binaryMemory);
  }

  /**
   * Room for one run with a binary of up to `bytes`, taken before its body is read; throws
   * SandboxBusy when there is none. Returns the release, for when the run is over.
   */
  admit(bytes: number): () => void {
    try {
      if (this.draining) throw new SandboxDraining('this sandbox host is draining (shutting down) and takes no new run');
      return this.admission.enter(bytes);
    } catch (e) {
      if (e instanceof SandboxBusy) this.metrics.runs.inc({ pool: 'any', outcome: 'busy' });
      throw e;
    }
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

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  /** Runs admitted (running, waiting or uploading) against how many may be. */
  get load(): { admitted: number; capacity: number } {
    return { admitted: this.admission.admitted, capacity: this.admission.capacity };
  }

  /**
   * On SIGTERM, before the listener closes: no new run is admitted (the frontends read
   * `draining` in /status and send elsewhere; one that sends anyway is told the run never
   * started), and the runs already admitted finish, so a host leaves without failing anyone.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.drainingSince = Date.now();
    const deadline = this.drainingSince + this.settings.get('SANDBOX_RUN_TIMEOUT_MS') + DRAIN_SLACK_MS;
    if (this.admission.admitted) this.log.log(`draining: ${this.admission.admitted} run(s) to finish`);
    while (this.admission.admitted > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (this.admission.admitted) this.log.warn(`drain ended with ${this.admission.admitted} run(s) unfinished`);
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
      const result = await this.queue.run(() => runner.run(binary, args, signal), { signal });
      outcome = result.timedOut || result.error === TIMEOUT_ERROR ? 'timeout' : result.error === OUTPUT_TOO_LARGE ? 'too_large' : result.exitCode === 0 ? 'ok' : 'exit';
      return result;
    } catch (e) {
      if (signal?.aborted) outcome = 'abandoned';
      throw e;
    } finally {
      this.metrics.runs.inc({ pool: runner.id, outcome });
      this.metrics.runSeconds.observe({ pool: runner.id }, Number(process.hrtime.bigint() - began) / 1e9);
      this.metrics.queueDepth.set(this.queue.depth);
    }
  }
}
