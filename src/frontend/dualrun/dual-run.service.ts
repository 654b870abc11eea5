import { Injectable, Logger, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'crypto';
import { DataSource } from 'typeorm';
import { Counter, Registry } from 'prom-client';
import { Settings } from '../../platform/config/settings';
import { BackendRegistry } from '../backends/backend-registry';
import { CompileService } from '../playground/compile.service';
import { CompileResponse } from '../playground/contract';
import { detectProgramKind } from '../builder/program-kind';
import { parseTxtar } from '../builder/txtar';
import { Transactions } from '../db/transactions';
import { ShadowQueue } from './shadow-queue';
import { ShadowJob, ShadowJobStore } from './shadow-job.store';
import { DualRun, FailedSide } from './dual-run.entity';
import { DiffRulesService } from './diff-rules.service';
import { compareOutcomes, sameOutcome, Comparison } from './compare';
import { toOutcome } from './to-outcome';
import { Outcome } from './outcome';

/** Prune old dual runs after this many inserts rather than on every one. */
const PRUNE_EVERY = 100;

/**
 * Runs the shadow side of a dual run, compares it with the primary (rerunning the primary once
 * on a mismatch to tell flaky programs apart), and stores the evidence.
 */
@Injectable()
export class DualRunService implements OnApplicationBootstrap {
  private readonly log = new Logger('dual-run');
  private readonly byClass: Counter<'diff_class' | 'shadow'>;
  private insertsSincePrune = 0;

  constructor(
    private readonly db: DataSource,
    private readonly tx: Transactions,
    private readonly settings: Settings,
    private readonly backends: BackendRegistry,
    private readonly compiler: CompileService,
    private readonly rules: DiffRulesService,
    private readonly queue: ShadowQueue,
    private readonly jobs: ShadowJobStore,
    registry: Registry,
  ) {
    this.byClass = new Counter({ name: 'playground_dual_runs_total', help: 'Dual runs by diff class and shadow backend', labelNames: ['diff_class', 'shadow'], registers: [registry] });
  }

  onApplicationBootstrap(): void {
    this.queue.setWorker(async (job) => { await this.process(job); });
  }

  /** Runs an accepted shadow and stores its dual run; its job row goes in the same transaction. */
  async process(job: ShadowJob): Promise<DualRun> {
    // Only a shadow accepted before a restart can meet a backend that is gone (a deploy that
    // retired the legacy runner): it cannot be run any more, so it is lost, not a backend-error.
    for (const id of [job.primary, job.shadow]) {
      if (!this.backends.get(id)) throw new Error(`backend ${id} is no longer registered`);
    }
    const shadow = await this.timed(job.shadow, job.body, job.withVet, true);
    const primaryOutcome = toOutcome(job.primaryResponse);
    const comparison = await this.classify(job.primary, job.body, job.withVet, primaryOutcome, shadow.outcome);
    return this.store({
      body: job.body, withVet: job.withVet, reason: job.reason,
      primary: job.primary, shadow: job.shadow,
      primaryOutcome, shadowOutcome: shadow.outcome,
      primaryMs: job.primaryMs, shadowMs: shadow.ms, comparison, clientKey: job.clientKey,
    }, job.id);
  }

  /** Runs a stored program again on both of its backends, now, and compares afresh. */
  async replay(id: number) {
    const original = await this.db.getRepository(DualRun).findOneBy({ id });
    if (!original) throw new NotFoundException(`no dual run #${id}`);
    const [p, s] = [await this.timed(original.primaryBackend, original.program, original.withVet, false),
      await this.timed(original.shadowBackend, original.program, original.withVet, false)];
    const comparison = await this.classify(original.primaryBackend, original.program, original.withVet, p.outcome, s.outcome);
    const row = this.row({
      body: original.program, withVet: original.withVet, reason: `replay of #${id}`,
      primary: original.primaryBackend, shadow: original.shadowBackend,
      primaryOutcome: p.outcome, shadowOutcome: s.outcome, primaryMs: p.ms, shadowMs: s.ms, comparison, clientKey: original.clientKey,
    });
    return { original: this.present(original), replay: this.present(row) };
  }

  private async classify(primaryId: string, body: string, withVet: boolean, primary: Outcome, shadow: Outcome): Promise<Comparison> {
    const comparison = compareOutcomes(primary, shadow, await this.rules.active());
    if (comparison.diffClass !== 'mismatch') return comparison;
    // A program that disagrees with itself (map order, randomness) says nothing about backends.
    const again = await this.timed(primaryId, body, withVet, false);
    if (again.outcome.kind !== 'backend-error' && !sameOutcome(primary, again.outcome)) {
      return { ...comparison, diffClass: 'flaky' };
    }
    return comparison;
  }

  private async timed(backendId: string, body: string, withVet: boolean, useCache: boolean): Promise<{ outcome: Outcome; ms: number }> {
    const began = Date.now();
    const backend = this.backends.get(backendId);
    let response: CompileResponse | Error;
    try {
      if (!backend) throw new Error(`backend ${backendId} is not registered`);
      const availability = backend.availability();
      if (!availability.available) throw new Error(`backend ${backendId} unavailable: ${availability.reason}`);
      response = (await this.compiler.compile(backend, body, withVet, useCache, 'shadow')).response;
    } catch (e) {
      response = e as Error;
    }
    return { outcome: toOutcome(response), ms: Date.now() - began };
  }

  private row(r: StoreInput): DualRun {
    const backendVersion = (id: string) => this.backends.get(id)?.toolchainVersion() ?? 'unknown';
    let kind = 'plain';
    try { kind = detectProgramKind(parseTxtar(r.body).files).kind; } catch { /* stored as plain */ }
    return this.db.getRepository(DualRun).create({
      at: new Date(),
      programHash: createHash('sha256').update(r.body).digest('hex'),
      program: r.body,
      programKind: kind,
      withVet: r.withVet,
      routeReason: r.reason,
      primaryBackend: r.primary,
      primaryToolchain: backendVersion(r.primary),
      shadowBackend: r.shadow,
      shadowToolchain: backendVersion(r.shadow),
      primaryResult: JSON.stringify(r.primaryOutcome),
      shadowResult: JSON.stringify(r.shadowOutcome),
      diffClass: r.comparison.diffClass,
      matchedRules: JSON.stringify(r.comparison.matchedRules),
      diff: r.comparison.diff,
      primaryMs: r.primaryMs,
      shadowMs: r.shadowMs,
      clientKey: r.clientKey,
      failedSide: this.failedSide(r),
    });
  }

  private failedSide(r: StoreInput): FailedSide {
    const sides = ([[r.primary, r.primaryOutcome], [r.shadow, r.shadowOutcome]] as const)
      .filter(([, o]) => o.kind === 'backend-error')
      .map(([id]) => (this.backends.get(id)?.legacy ? 'legacy' : 'new'));
    if (sides.length === 2) return sides[0] === sides[1] ? sides[0] : 'both';
    return sides[0] ?? '';
  }

  private async store(r: StoreInput, jobId: number): Promise<DualRun> {
    const saved = await this.tx.run(async (tx) => {
      const row = await tx.getRepository(DualRun).save(this.row(r));
      await this.jobs.finish(tx, jobId);
      return row;
    });
    this.byClass.inc({ diff_class: saved.diffClass, shadow: saved.shadowBackend });
    if (++this.insertsSincePrune >= PRUNE_EVERY) {
      this.insertsSincePrune = 0;
      await this.prune().catch((e: Error) => this.log.warn(`pruning dual runs failed: ${e.message}`));
    }
    return saved;
  }

  /** Retention: by age, then by count (oldest first); lost shadows go with the dual runs' age. */
  async prune(): Promise<number> {
    const cutoff = new Date(Date.now() - this.settings.get('DUALRUN_RETENTION_DAYS') * 86_400_000);
    return this.tx.run(async (tx) => {
      const repo = tx.getRepository(DualRun);
      const before = await repo.count();
      await tx.createQueryBuilder().delete().from(DualRun).where('at < :cutoff', { cutoff }).execute();
      const oldestKept: { id: number } | undefined = await repo.createQueryBuilder('d').select('d.id', 'id')
        .orderBy('d.id', 'DESC').offset(this.settings.get('DUALRUN_MAX_ROWS')).limit(1).getRawOne();
      if (oldestKept) await tx.createQueryBuilder().delete().from(DualRun).where('id <= :id', { id: oldestKept.id }).execute();
      await this.jobs.pruneLost(tx, cutoff);
      return before - (await repo.count());
    });
  }

  /** A dual run as the admin API shows it (JSON columns parsed). */
  present(d: DualRun) {
    return {
      ...d,
      primaryResult: JSON.parse(d.primaryResult) as Outcome,
      shadowResult: JSON.parse(d.shadowResult) as Outcome,
      matchedRules: JSON.parse(d.matchedRules) as string[],
    };
  }
}

interface StoreInput {
  body: string;
  withVet: boolean;
  reason: string;
  primary: string;
  shadow: string;
  primaryOutcome: Outcome;
  shadowOutcome: Outcome;
  primaryMs: number;
  shadowMs: number;
  comparison: Comparison;
  clientKey: string;
}
