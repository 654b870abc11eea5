import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Settings } from '../../platform/config/settings';
import { DIFF_CLASSES } from '../dualrun/diff-class';
import { DualRun } from '../dualrun/dual-run.entity';
import { PROGRAM_KINDS } from '../builder/program-kind';
import { wilsonUpperBound } from './mismatch-bound';
import { countEvidence, ProgramGroup, tolerableFailingClients } from './evidence';
import type { Criterion, Readiness } from './readiness';

export type { Criterion, Readiness } from './readiness';

/** Release-day evidence computed from the stored dual runs; how it is counted: evidence.ts. */
@Injectable()
export class ReadinessService {
  constructor(private readonly db: DataSource, private readonly settings: Settings) {}

  async compute(): Promise<Readiness> {
    const windowHours = this.settings.get('READINESS_WINDOW_HOURS');
    const since = new Date(Date.now() - windowHours * 3_600_000);
    const [classes, groups] = await Promise.all([this.byClass(since), this.groups(since)]);
    const cap = this.settings.get('READINESS_MAX_PROGRAMS_PER_CLIENT');
    const e = countEvidence(groups, cap);

    const upper = wilsonUpperBound(e.mismatched, e.programs);
    const minPrograms = this.settings.get('READINESS_MIN_RUNS');
    const maxRate = this.settings.get('READINESS_MAX_MISMATCH_RATE') / 100;
    const perKind = this.settings.get('READINESS_MIN_PER_KIND');
    const tolerated = tolerableFailingClients(e.programs, maxRate);
    const byKind = Object.fromEntries(PROGRAM_KINDS.map((k) => [k, e.byKind[k] ?? 0])) as Record<string, number>;
    const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
    const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
    const failures = e.newBackendFailures;
    const criteria: Criterion[] = [
      {
        name: 'evidence', met: e.programs >= minPrograms,
        detail: `${n(e.programs, 'distinct program')} counted from ${n(e.clients, 'client')} (${n(e.runs, 'dual run')}; at most ${cap} per client) in the last ${windowHours} h (need ${minPrograms})`,
      },
      {
        name: 'mismatch rate', met: e.programs > 0 && upper <= maxRate,
        detail: `${e.mismatched} of ${n(e.programs, 'program')} mismatch: ${pct(e.programs ? e.mismatched / e.programs : 0)}, 95 % upper bound ${pct(upper)} (need ≤ ${pct(maxRate)})`,
      },
      {
        // The criterion's name and words are the admin API's, as release managers and tests know them.
        name: 'new backend failures', met: failures.clients <= tolerated,
        detail: `the new backend failed for ${n(failures.programs, 'program')} from ${n(failures.clients, 'client')} (tolerated: ${n(tolerated, 'client')}; one client's failures alone never block)`,
      },
      ...PROGRAM_KINDS.map((k) => ({ name: `coverage: ${k}`, met: byKind[k] >= perKind, detail: `${byKind[k]} distinct ${k} programs (need ${perKind})` })),
    ];
    return {
      ready: criteria.every((c) => c.met),
      windowHours,
      runs: e.runs,
      runsByClass: classes.runs,
      programsByClass: classes.programs,
      clients: e.clients,
      programs: e.programs,
      perClientCap: cap,
      cappedPrograms: e.capped,
      byKind,
      mismatches: e.mismatched,
      mismatchRate: e.programs ? e.mismatched / e.programs : 0,
      mismatchUpperBound: upper,
      newBackendFailures: { ...failures, tolerated },
      criteria,
      missing: criteria.filter((c) => !c.met).map((c) => `${c.name}: ${c.detail}`),
    };
  }

  /** Raw runs and distinct programs by class, side by side. */
  private async byClass(since: Date): Promise<{ runs: Record<string, number>; programs: Record<string, number> }> {
    const rows: Array<{ diffClass: string; runs: number | string; programs: number | string }> = await this.db.getRepository(DualRun)
      .createQueryBuilder('d')
      .select('d.diffClass', 'diffClass')
      .addSelect('COUNT(*)', 'runs')
      .addSelect('COUNT(DISTINCT d.programHash)', 'programs')
      .where('d.at >= :since', { since })
      .groupBy('d.diffClass')
      .getRawMany();
    const zero = () => Object.fromEntries(DIFF_CLASSES.map((c) => [c, 0])) as Record<string, number>;
    const out = { runs: zero(), programs: zero() };
    for (const r of rows) {
      out.runs[r.diffClass] = Number(r.runs);
      out.programs[r.diffClass] = Number(r.programs);
    }
    return out;
  }

  /** The window's dual runs grouped by program and client (standard SQL: SQLite and PostgreSQL). */
  private async groups(since: Date): Promise<ProgramGroup[]> {
    const flag = (condition: string) => `MAX(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
    const rows: Array<Record<string, string | number>> = await this.db.getRepository(DualRun)
      .createQueryBuilder('d')
      .select('d.programHash', 'program')
      .addSelect('d.clientKey', 'client')
      .addSelect('d.programKind', 'kind')
      .addSelect('MIN(d.id)', 'firstId')
      .addSelect('COUNT(*)', 'runs')
      .addSelect(flag(`d.diffClass <> 'backend-error'`), 'comparable')
      .addSelect(flag(`d.diffClass = 'mismatch'`), 'mismatched')
      .addSelect(flag(`d.failedSide IN ('new', 'both')`), 'newFailed')
      .where('d.at >= :since', { since })
      .groupBy('d.programHash')
      .addGroupBy('d.clientKey')
      .addGroupBy('d.programKind')
      .getRawMany();
    return rows.map((r) => ({
      program: String(r.program),
      client: String(r.client),
      kind: String(r.kind),
      first: Number(r.firstId),
      runs: Number(r.runs),
      comparable: Number(r.comparable) === 1,
      mismatched: Number(r.mismatched) === 1,
      newFailed: Number(r.newFailed) === 1,
    }));
  }
}
