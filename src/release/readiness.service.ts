import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Settings } from '../config/settings';
import { sqlTime } from '../db/sql-time';
import { DIFF_CLASSES } from '../dualrun/diff-class';
import { PROGRAM_KINDS } from '../build/program-kind';
import { wilsonUpperBound } from './mismatch-bound';
import type { Criterion, Readiness } from './readiness';

export type { Criterion, Readiness } from './readiness';

/** Classes that count against readiness: real disagreements and a broken new side. */
export const FAILING_CLASSES = ['mismatch', 'backend-error'] as const;

/** Release-day evidence computed from the stored dual runs. */
@Injectable()
export class ReadinessService {
  constructor(private readonly db: DataSource, private readonly settings: Settings) {}

  async compute(): Promise<Readiness> {
    const windowHours = this.settings.get('READINESS_WINDOW_HOURS');
    const since = sqlTime(new Date(Date.now() - windowHours * 3_600_000));
    const classRows: Array<{ diff_class: string; n: number }> = await this.db.query(
      `SELECT diff_class, COUNT(*) AS n FROM dual_runs WHERE at >= ? GROUP BY diff_class`, [since]);
    const kindRows: Array<{ program_kind: string; n: number }> = await this.db.query(
      `SELECT program_kind, COUNT(*) AS n FROM dual_runs WHERE at >= ? GROUP BY program_kind`, [since]);
    const byClass = Object.fromEntries(DIFF_CLASSES.map((c) => [c, 0])) as Record<string, number>;
    for (const r of classRows) byClass[r.diff_class] = Number(r.n);
    const byKind = Object.fromEntries(PROGRAM_KINDS.map((k) => [k, 0])) as Record<string, number>;
    for (const r of kindRows) byKind[r.program_kind] = Number(r.n);

    const total = Object.values(byClass).reduce((a, b) => a + b, 0);
    const mismatches = FAILING_CLASSES.reduce((n, c) => n + byClass[c], 0);
    const upper = wilsonUpperBound(mismatches, total);
    const minRuns = this.settings.get('READINESS_MIN_RUNS');
    const maxRate = this.settings.get('READINESS_MAX_MISMATCH_RATE') / 100;
    const perKind = this.settings.get('READINESS_MIN_PER_KIND');
    const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
    const criteria: Criterion[] = [
      { name: 'evidence', met: total >= minRuns, detail: `${total} dual runs in the last ${windowHours} h (need ${minRuns})` },
      { name: 'mismatch rate', met: total > 0 && upper <= maxRate, detail: `${mismatches} mismatches of ${total}: ${pct(total ? mismatches / total : 0)}, 95 % upper bound ${pct(upper)} (need ≤ ${pct(maxRate)})` },
      ...PROGRAM_KINDS.map((k) => ({ name: `coverage: ${k}`, met: byKind[k] >= perKind, detail: `${byKind[k]} ${k} programs (need ${perKind})` })),
    ];
    return {
      ready: criteria.every((c) => c.met),
      windowHours, total, byClass, byKind, mismatches,
      mismatchRate: total ? mismatches / total : 0,
      mismatchUpperBound: upper,
      criteria,
      missing: criteria.filter((c) => !c.met).map((c) => `${c.name}: ${c.detail}`),
    };
  }
}
