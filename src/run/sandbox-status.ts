import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Settings } from '../config/settings';
import { Availability } from '../backends/execution-backend';
import { SandboxEndpoint } from './sandbox-endpoint';

interface RunnerStatus {
  id: string;
  legacy: boolean;
  available: boolean;
  reason?: string;
  poolReady: number;
}

const POLL_MS = 2000;

/**
 * What the sandbox backend can run right now, polled from its cheap GET /status, so that
 * routing never picks a backend whose sandbox pool is down (or whose sandbox is unreachable).
 */
@Injectable()
export class SandboxStatus implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('sandbox-status');
  private readonly sandbox: SandboxEndpoint;
  private runners: RunnerStatus[] | null = null;
  private binaryLimit: number | null = null;
  private problem: string | null = 'sandbox status not known yet';
  private timer?: NodeJS.Timeout;

  constructor(settings: Settings) {
    this.sandbox = new SandboxEndpoint(settings);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private inFlight?: Promise<void>;

  /** Concurrent callers share one poll. */
  refresh(): Promise<void> {
    this.inFlight ??= this.poll().finally(() => { this.inFlight = undefined; });
    return this.inFlight;
  }

  private async poll(): Promise<void> {
    const before = this.problem;
    try {
      const res = await this.sandbox.fetch('/status', { signal: AbortSignal.timeout(POLL_MS) });
      if (!res.ok) throw new Error(`answered ${res.status}`);
      const body = (await res.json()) as { runners: RunnerStatus[]; maxBinaryBytes?: number };
      this.runners = body.runners;
      this.binaryLimit = typeof body.maxBinaryBytes === 'number' ? body.maxBinaryBytes : null;
      this.problem = null;
    } catch (e) {
      this.runners = null;
      this.problem = `sandbox backend unreachable at ${this.sandbox.url} (${(e as Error).message})`;
    }
    if (before !== this.problem) {
      if (this.problem) this.log.warn(this.problem);
      else this.log.log(`sandbox backend reachable at ${this.sandbox.url}`);
    }
  }

  /** Whether the sandbox runner `id` can take programs now. */
  runner(id: string): Availability {
    if (!this.runners) return { available: false, reason: this.problem ?? 'sandbox status unknown' };
    const r = this.runners.find((x) => x.id === id);
    if (!r) return { available: false, reason: `the sandbox backend has no runner "${id}"` };
    return r.available ? { available: true } : { available: false, reason: `sandbox runner ${id}: ${r.reason ?? 'unavailable'}` };
  }

  /** The largest binary the sandbox runs (what fits its /tmp), once its status is known. */
  maxBinaryBytes(): number | null {
    return this.binaryLimit;
  }

  /** Whether some legacy pool holds warm containers (a restarted sandbox refills them). */
  legacyWarm(): boolean {
    return (this.runners ?? []).some((r) => r.legacy && r.poolReady > 0);
  }

  /** Asks the sandbox to drain (or refill) its legacy pools. */
  async drainLegacy(drained: boolean): Promise<void> {
    const res = await this.sandbox.fetch('/pools/legacy', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ drained }), signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`sandbox answered ${res.status} to the legacy drain`);
  }
}
