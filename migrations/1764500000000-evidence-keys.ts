import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';
import { randomBytes } from 'crypto';

/** Backend ids as they were when this migration was written: linux-amd64, the one not in the legacy role. */
const LINUX_AMD64 = 'linux-amd64';
const BATCH = 500;

/**
 * Evidence that cannot be gamed: who sent each dual run (a keyed hash of the address, so that
 * readiness can cap what one client contributes) and which side failed in a backend-error
 * pair (a failure of the side being retired says nothing about linux-amd64).
 *
 * Plain ALTER TABLE ... ADD COLUMN and query-builder statements: the same text works on SQLite
 * and PostgreSQL (TypeORM's addColumn would rebuild the whole table on SQLite).
 */
export class EvidenceKeys1764500000000 implements MigrationInterface {
  name = 'EvidenceKeys1764500000000';

  async up(q: QueryRunner): Promise<void> {
    // Runs stored before this have no client: they count as one (unknown) client, which can
    // only make readiness stricter, never looser, until they leave the window.
    await q.query(`ALTER TABLE "dual_runs" ADD COLUMN "client_key" varchar NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE "dual_runs" ADD COLUMN "failed_side" varchar NOT NULL DEFAULT ''`);
    await q.createIndex('dual_runs', new TableIndex({ name: 'dual_runs_program', columnNames: ['program_hash'] }));
    await q.query(`ALTER TABLE "control_state" ADD COLUMN "client_key_secret" varchar NOT NULL DEFAULT ''`);
    // Made once, here, like the bucket salt: client keys stay comparable across restarts. The
    // values below are our own hex and numbers, so literals keep the SQL free of any driver's
    // placeholder style (? for SQLite, $1 for PostgreSQL).
    await q.query(`UPDATE "control_state" SET "client_key_secret" = '${randomBytes(32).toString('hex')}' WHERE "id" = 1`);

    for (let after = 0; ;) {
      const rows: Array<{ id: number; primary_backend: string; shadow_backend: string; primary_result: string; shadow_result: string }> = await q.query(
        `SELECT "id", "primary_backend", "shadow_backend", "primary_result", "shadow_result" FROM "dual_runs"
         WHERE "diff_class" = 'backend-error' AND "id" > ${Number(after)} ORDER BY "id" LIMIT ${BATCH}`);
      if (rows.length === 0) break;
      const bySide = new Map<string, number[]>();
      for (const r of rows) {
        const side = failedSide(
          failed(r.primary_result) ? r.primary_backend : undefined,
          failed(r.shadow_result) ? r.shadow_backend : undefined);
        bySide.set(side, [...(bySide.get(side) ?? []), Number(r.id)]);
      }
      for (const [side, ids] of bySide) {
        if (side) await q.query(`UPDATE "dual_runs" SET "failed_side" = '${side}' WHERE "id" IN (${ids.join(', ')})`);
      }
      after = Number(rows[rows.length - 1].id);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('dual_runs', 'dual_runs_program');
    await q.query(`ALTER TABLE "dual_runs" DROP COLUMN "failed_side"`);
    await q.query(`ALTER TABLE "dual_runs" DROP COLUMN "client_key"`);
    await q.query(`ALTER TABLE "control_state" DROP COLUMN "client_key_secret"`);
  }
}

function failed(resultJson: string): boolean {
  try {
    return (JSON.parse(resultJson) as { kind?: string }).kind === 'backend-error';
  } catch {
    return false;
  }
}

function failedSide(primaryFailed: string | undefined, shadowFailed: string | undefined): string {
  const sides = [primaryFailed, shadowFailed].filter((b): b is string => b !== undefined).map((b) => (b === LINUX_AMD64 ? 'new' : 'legacy'));
  if (sides.length === 2) return sides[0] === sides[1] ? sides[0] : 'both';
  return sides[0] ?? '';
}
