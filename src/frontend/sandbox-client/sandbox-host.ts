import { Logger } from '@nestjs/common';
import { Availability } from '../backends/execution-backend';
import { SandboxEndpoint } from './sandbox-endpoint';
import type { RunnerStatus, StatusReport } from '../../contract/sandbox-status';

/** What one host's GET /status said, as far as this frontend uses it. */
interface HostReport extends Pick<StatusReport, 'runners' | 'admitted' | 'capacity' | 'draining'> {
  maxBinaryBytes: number | null;
}

/** How long a host that refused a connection is passed over before its next poll says otherwise. */
const REFUSED_HOLD_MS = 5_000;

/**
 * One sandbox host as this frontend sees it: its last report, polled from the cheap GET
 * /status, and the runs this frontend has sent it since (the report is up to a poll old).
 */
export class SandboxHost {
  private readonly log = new Logger('sandbox-host');
  private report: HostReport | null = null;
  private problem: string | null = null;
  private heldUntil = 0;
  private inFlight = 0;
  private inFlightAtReport = 0;
  private polling?: Promise<void>;

  constructor(readonly endpoint: SandboxEndpoint, private readonly pollMs: number) {}

  get url(): string {
    return this.endpoint.url;
  }

  /** Concurrent callers share one poll. */
  refresh(): Promise<void> {
    this.polling ??= this.poll().finally(() => { this.polling = undefined; });
    return this.polling;
  }

  private async poll(): Promise<void> {
    const before = this.problem;
    const sentBefore = this.inFlight;
    try {
      const res = await this.endpoint.fetch('/status', { signal: AbortSignal.timeout(this.pollMs) });
      if (!res.ok) throw new Error(`answered ${res.status}`);
      const body = (await res.json()) as Partial<StatusReport> & { runners: RunnerStatus[] };
      this.report = {
        runners: body.runners,
        maxBinaryBytes: typeof body.maxBinaryBytes === 'number' ? body.maxBinaryBytes : null,
        admitted: body.admitted ?? 0,
        capacity: Math.max(1, body.capacity ?? 1),
        draining: body.draining === true,
      };
      // The report counts our runs that were in flight when it was made.
      this.inFlightAtReport = Math.min(sentBefore, this.inFlight);
      this.problem = this.report.draining ? 'draining' : null;
      this.heldUntil = 0;
    } catch (e) {
      this.report = null;
      this.problem = `sandbox backend unreachable at ${this.url} (${(e as Error).message})`;
    }
    if (before !== this.problem) {
      if (this.problem) this.log.warn(this.problem === 'draining' ? `sandbox host ${this.url} draining` : this.problem);
      else this.log.log(`sandbox host ${this.url} reachable`);
    }
  }

  /** Whether runner `id` can take programs here now. */
  runner(id: string): Availability {
    if (!this.report) return { available: false, reason: this.problem ?? `sandbox host ${this.url}: status unknown` };
    const r = this.report.runners.find((x) => x.id === id);
    if (!r) return { available: false, reason: `sandbox host ${this.url} has no runner "${id}"` };
    return r.available ? { available: true } : { available: false, reason: `sandbox runner ${id} on ${this.url}: ${r.reason ?? 'unavailable'}` };
  }

  /** Whether a run for `runnerId` may be sent here now. */
  accepts(runnerId: string | undefined, now = Date.now()): boolean {
    if (!this.report || this.report.draining || now < this.heldUntil) return false;
    return runnerId === undefined || this.runner(runnerId).available;
  }

  /** Fraction of the host's capacity taken, counting runs sent since its last report. */
  load(): number {
    if (!this.report) return Infinity;
    return (this.report.admitted + Math.max(0, this.inFlight - this.inFlightAtReport)) / this.report.capacity;
  }

  maxBinaryBytes(): number | null {
    return this.report?.maxBinaryBytes ?? null;
  }

  legacyWarm(): boolean {
    return (this.report?.runners ?? []).some((r) => r.legacy && r.poolReady > 0);
  }

  /**
   * The host refused a run before it started (a refused connection, a full queue, a drain): it
   * is passed over until a poll shows it can take runs again.
   */
  passOver(why: string): void {
    this.heldUntil = Date.now() + REFUSED_HOLD_MS;
    if (this.problem === null) this.log.warn(`sandbox host ${this.url}: ${why}; sending elsewhere`);
    void this.refresh();
  }

  /** Counts a run from sending until its answer. */
  track<T>(run: () => Promise<T>): Promise<T> {
    this.inFlight++;
    return run().finally(() => {
      this.inFlight--;
      this.inFlightAtReport = Math.min(this.inFlightAtReport, this.inFlight);
    });
  }

  /** For the admin UI and /healthz. */
  view() {
    return {
      url: this.url,
      state: this.report === null ? 'down' : this.report.draining ? 'draining' : Date.now() < this.heldUntil ? 'passed-over' : 'up',
      ...(this.problem && this.problem !== 'draining' ? { problem: this.problem } : {}),
      admitted: this.report?.admitted ?? null,
      capacity: this.report?.capacity ?? null,
      inFlight: this.inFlight,
      runners: (this.report?.runners ?? []).map((r) => ({ id: r.id, available: r.available, poolReady: r.poolReady, ...(r.reason ? { reason: r.reason } : {}) })),
    };
  }
}
