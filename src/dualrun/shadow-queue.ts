import { Injectable, Logger } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { Settings } from '../config/settings';
import type { Compiled } from '../playground/compile.service';

export interface ShadowJob {
  body: string;
  withVet: boolean;
  reason: string;
  primary: string;
  shadow: string;
  primaryResult: Compiled;
  primaryMs: number;
}

/** How long the frontend must have had no public request in flight before a shadow starts. */
const IDLE_GAP_MS = 200;

export type ShadowWorker = (job: ShadowJob) => Promise<void>;

/**
 * Holds dual runs until a worker is free. Bounded: when full, a shadow is dropped and counted,
 * because evidence is worth less than keeping the public answers fast.
 */
@Injectable()
export class ShadowQueue {
  private readonly log = new Logger('shadow');
  private readonly jobs: ShadowJob[] = [];
  private running = 0;
  private worker?: ShadowWorker;
  private readonly size: number;
  private readonly concurrency: number;
  private readonly droppedCounter: Counter;
  dropped = 0;
  accepted = 0;
  private idleWaiters: Array<() => void> = [];
  private primaries = 0;
  private lastPrimaryEnd = 0;
  private recheck?: NodeJS.Timeout;

  constructor(settings: Settings, registry: Registry) {
    this.size = settings.get('SHADOW_QUEUE_SIZE');
    this.concurrency = settings.get('SHADOW_CONCURRENCY');
    this.droppedCounter = new Counter({ name: 'playground_shadow_dropped_total', help: 'Dual runs dropped because the shadow queue was full', registers: [registry] });
  }

  setWorker(worker: ShadowWorker): void {
    this.worker = worker;
  }

  get depth(): number {
    return this.jobs.length;
  }

  /**
   * Marks a public request in flight; call the returned function when it is answered. Shadows
   * start only in the gaps between public requests, so they never compete with one that is
   * waiting: the primary's latency must not change. Under sustained load the queue fills and
   * shadows are dropped (and counted) instead.
   */
  beginPrimary(): () => void {
    this.primaries++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.primaries--;
      this.lastPrimaryEnd = Date.now();
      this.pump();
    };
  }

  offer(job: ShadowJob): boolean {
    if (this.jobs.length >= this.size) {
      this.dropped++;
      this.droppedCounter.inc();
      return false;
    }
    this.accepted++;
    this.jobs.push(job);
    // After the current answer has been flushed: the primary never waits for its shadow.
    setImmediate(() => this.pump());
    return true;
  }

  private idleNow(): boolean {
    return this.primaries === 0 && Date.now() - this.lastPrimaryEnd >= IDLE_GAP_MS;
  }

  /** Resolves once nothing is queued or running (tests and shutdown). */
  idle(): Promise<void> {
    if (this.jobs.length === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.jobs.length > 0 && !this.idleNow()) {
      if (!this.recheck) {
        this.recheck = setTimeout(() => { this.recheck = undefined; this.pump(); }, IDLE_GAP_MS);
        this.recheck.unref();
      }
      return;
    }
    while (this.worker && this.running < this.concurrency && this.jobs.length > 0) {
      const job = this.jobs.shift()!;
      this.running++;
      this.worker(job)
        .catch((e: Error) => this.log.warn(`dual run failed: ${e.message}`))
        .finally(() => {
          this.running--;
          this.pump();
          if (this.jobs.length === 0 && this.running === 0) for (const w of this.idleWaiters.splice(0)) w();
        });
    }
  }
}
