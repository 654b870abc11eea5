import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { Settings } from '../../platform/config/settings';
import { ClientKeys } from './client-keys.service';
import { jobOf, ShadowJob, ShadowJobStore, ShadowOffer, ShadowTakenOverError } from './shadow-job.store';
import type { ShadowJobRow } from './shadow-job.entity';
import { currentRequestId, withRequestId } from '../../platform/logging/request-id';

export type { ShadowJob } from './shadow-job.store';

export type { ShadowOffer };

/** How long the frontend must have had no public request in flight before a shadow starts. */
const IDLE_GAP_MS = 200;

/**
 * A shadow that was started this many times without finishing (the frontend died each time)
 * is given up as lost instead of being run again: it may be what brings the frontend down.
 */
export const MAX_SHADOW_ATTEMPTS = 3;

export type ShadowWorker = (job: ShadowJob) => Promise<void>;

/**
 * Holds dual runs until a worker is free. Bounded: when full, a shadow is dropped and counted,
 * because evidence is worth less than keeping the public answers fast.
 *
 * Durable: a shadow is accepted only once it is stored in the database (offer resolves after
 * that, and /compile answers after offer), it leaves the table in the transaction that stores
 * its dual run, and after a crash the next start runs what is left. A shadow that cannot be run
 * is kept as lost, with the reason, never silently forgotten.
 */
@Injectable()
export class ShadowQueue implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('shadow');
  private readonly jobs: ShadowJob[] = [];
  private running = 0;
  private storing = 0;
  private worker?: ShadowWorker;
  private stopped = false;
  private readonly size: number;
  private readonly concurrency: number;
  private readonly droppedCounter: Counter;
  dropped = 0;
  accepted = 0;
  /** Shadows a previous run of the frontend had accepted and this one took over. */
  recovered = 0;
  /** The request each shadow accepted here came with (not stored: a shadow taken over has none). */
  private readonly requestIds = new Map<number, string>();
  private idleWaiters: Array<() => void> = [];
  private primaries = 0;
  private lastPrimaryEnd = 0;
  private recheck?: NodeJS.Timeout;
  private claims?: NodeJS.Timeout;
  /** The renewal under way, which shutdown waits for: the database closes after this service stops. */
  private claiming?: Promise<void>;

  constructor(settings: Settings, registry: Registry, private readonly store: ShadowJobStore, private readonly keys: ClientKeys) {
    this.size = settings.get('SHADOW_QUEUE_SIZE');
    this.concurrency = settings.get('SHADOW_CONCURRENCY');
    this.droppedCounter = new Counter({ name: 'playground_shadow_dropped_total', help: 'Dual runs dropped because the shadow queue was full', registers: [registry] });
  }

  /**
   * Takes over the shadows a previous run of this frontend accepted but did not finish; then,
   * while it runs, renews its claim on those it holds and takes over those of a frontend that
   * stopped renewing (several frontends on one database).
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.takeOver(await this.store.claim(true));
    this.claims = setInterval(() => {
      this.claiming ??= this.claimStale().finally(() => { this.claiming = undefined; });
    }, Math.max(500, Math.floor(this.store.takeoverMs / 3)));
    this.claims.unref();
  }

  private async claimStale(): Promise<void> {
    try {
      await this.store.renew();
      if (!this.stopped) await this.takeOver(await this.store.claim(false));
    } catch (e) {
      this.log.warn(`could not renew or take over shadows: ${(e as Error).message}`);
    }
  }

  private async takeOver(rows: ShadowJobRow[]): Promise<void> {
    let took = 0;
    for (const row of rows) {
      const job = jobOf(row);
      if (row.attempts >= MAX_SHADOW_ATTEMPTS) {
        await this.store.lose(row.id, `started ${row.attempts} times, and the frontend stopped each time before it finished`);
      } else if (!job) {
        await this.store.lose(row.id, 'the stored primary answer cannot be read');
      } else {
        this.jobs.push(job);
        took++;
      }
    }
    this.recovered += took;
    if (took > 0) this.log.log(`${took} shadow(s) accepted before a frontend stopped will run now`);
    this.pump();
  }

  /** No new shadow starts once the application is stopping; what is queued stays stored for the next start. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.recheck);
    clearInterval(this.claims);
    await this.claiming;
  }

  setWorker(worker: ShadowWorker): void {
    this.worker = worker;
    this.pump();
  }

  get depth(): number {
    return this.jobs.length;
  }

  /** Dual runs in progress now. */
  get inProgress(): number {
    return this.running;
  }

  lostCount(): Promise<number> {
    return this.store.lostCount();
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

  /** Resolves true once the shadow is stored (accepted), false when it was dropped. Never throws. */
  async offer(offer: ShadowOffer): Promise<boolean> {
    if (this.stopped || this.jobs.length + this.storing >= this.size) return this.drop();
    this.storing++;
    try {
      const { clientAddress, ...rest } = offer;
      const job = { ...rest, clientKey: this.keys.of(clientAddress) };
      const id = await this.store.accept(job);
      this.accepted++;
      const requestId = currentRequestId();
      if (requestId) this.requestIds.set(id, requestId);
      this.jobs.push({ id, ...job });
    } catch (e) {
      this.log.warn(`a shadow could not be stored and was dropped: ${(e as Error).message}`);
      return this.drop();
    } finally {
      this.storing--;
    }
    // After the current answer has been flushed: the primary never waits for its shadow to run.
    setImmediate(() => this.pump());
    return true;
  }

  private drop(): false {
    this.dropped++;
    this.droppedCounter.inc();
    return false;
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
    if (this.stopped) return;
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
      this.runOne(this.worker, job).finally(() => {
        this.running--;
        this.pump();
        if (this.jobs.length === 0 && this.running === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }

  /**
   * A dual run does its work (its log lines, its sandbox calls) under an id of its own, named
   * after the request that offered it: it starts from whichever request's answer freed the
   * queue, and must not be taken for that one.
   */
  private runOne(worker: ShadowWorker, job: ShadowJob): Promise<void> {
    const origin = this.requestIds.get(job.id);
    this.requestIds.delete(job.id);
    return withRequestId(origin ? `${origin}.shadow` : `shadow-${job.id}`, () => this.attempt(worker, job));
  }

  private async attempt(worker: ShadowWorker, job: ShadowJob): Promise<void> {
    try {
      await this.store.started(job.id);
      await worker(job);
    } catch (e) {
      const why = (e as Error).message;
      if (e instanceof ShadowTakenOverError) return void this.log.log(`${why}: its dual run is that frontend's to store`);
      this.log.warn(`dual run failed, shadow counted as lost: ${why}`);
      // If even this fails (the database is gone), the row stays pending and runs after a restart.
      await this.store.lose(job.id, `dual run failed: ${why}`).catch((e2: Error) => this.log.warn(`could not record the lost shadow: ${e2.message}`));
    }
  }
}
