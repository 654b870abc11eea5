import { MigrationInterface, QueryRunner } from 'typeorm';

/** The latency buckets (ms) as they were when this migration was written; one column each, and one past the last. */
const BOUNDS = [5, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 4000, 5000, 7500, 10_000, 15_000, 20_000, 30_000, 60_000];
const COLUMNS = [...BOUNDS.map((b) => `latency_le_${b}`), `latency_over_${BOUNDS[BOUNDS.length - 1]}`];

/**
 * Traffic latency as a histogram per minute row instead of one p95: a p95 over several minutes,
 * flushes or frontends was the largest of theirs, which says little about the traffic as a
 * whole. Counts add up; a percentile read from their sum is one.
 *
 * A row from before knows only its p95: its requests are counted in the bucket of that p95,
 * the best the row can say (the span's p95 comes out about as it did). Plain ALTER TABLE and
 * literal numbers: the same text works on SQLite and PostgreSQL.
 */
export class TrafficHistograms1764700000000 implements MigrationInterface {
  name = 'TrafficHistograms1764700000000';

  async up(q: QueryRunner): Promise<void> {
    for (const c of COLUMNS) await q.query(`ALTER TABLE "traffic_minutes" ADD COLUMN "${c}" integer NOT NULL DEFAULT 0`);
    for (let i = 0; i < COLUMNS.length; i++) {
      const above = i === 0 ? '' : `"p95_ms" > ${BOUNDS[i - 1]}`;
      const within = i < BOUNDS.length ? `"p95_ms" <= ${BOUNDS[i]}` : '';
      await q.query(`UPDATE "traffic_minutes" SET "${COLUMNS[i]}" = "requests" WHERE ${[above, within].filter(Boolean).join(' AND ')}`);
    }
    await q.query(`ALTER TABLE "traffic_minutes" DROP COLUMN "p95_ms"`);
  }

  /** Each row gets back a p95: the bound of the bucket that holds its 95th percentile. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "traffic_minutes" ADD COLUMN "p95_ms" integer NOT NULL DEFAULT 0`);
    let below = '0';
    for (let i = 0; i < BOUNDS.length; i++) {
      const upTo = `${below} + "${COLUMNS[i]}"`;
      // Buckets in order: the first whose running count reaches 95 % of the requests sets it.
      await q.query(`UPDATE "traffic_minutes" SET "p95_ms" = ${BOUNDS[i]} WHERE "p95_ms" = 0 AND "requests" > 0 AND 100 * (${upTo}) >= 95 * "requests"`);
      below = upTo;
    }
    await q.query(`UPDATE "traffic_minutes" SET "p95_ms" = ${BOUNDS[BOUNDS.length - 1]} WHERE "p95_ms" = 0 AND "requests" > 0`);
    for (const c of COLUMNS) await q.query(`ALTER TABLE "traffic_minutes" DROP COLUMN "${c}"`);
  }
}
