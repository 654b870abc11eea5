import { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectOf } from '../src/frontend/db/dialect';

export class DualRuns1764400002000 implements MigrationInterface {
  name = 'DualRuns1764400002000';

  async up(q: QueryRunner): Promise<void> {
    // The one difference between the dialects: the key's generator, the time type, boolean literals.
    const pg = dialectOf(q.connection) === 'postgres';
    await q.query(`CREATE TABLE "dual_runs" (
      "id" ${pg ? 'serial PRIMARY KEY' : 'integer PRIMARY KEY AUTOINCREMENT'} NOT NULL,
      "at" ${pg ? 'timestamptz' : 'datetime'} NOT NULL,
      "program_hash" varchar NOT NULL,
      "program" text NOT NULL,
      "program_kind" varchar NOT NULL,
      "with_vet" boolean NOT NULL,
      "route_reason" text NOT NULL,
      "primary_backend" varchar NOT NULL,
      "primary_toolchain" varchar NOT NULL,
      "shadow_backend" varchar NOT NULL,
      "shadow_toolchain" varchar NOT NULL,
      "primary_result" text NOT NULL,
      "shadow_result" text NOT NULL,
      "diff_class" varchar NOT NULL,
      "matched_rules" text NOT NULL,
      "diff" text NOT NULL,
      "primary_ms" integer NOT NULL,
      "shadow_ms" integer NOT NULL
    )`);
    await q.query(`CREATE INDEX "dual_runs_at" ON "dual_runs" ("at")`);
    await q.query(`CREATE INDEX "dual_runs_class" ON "dual_runs" ("diff_class")`);
    await q.query(`CREATE TABLE "diff_rules" (
      "name" varchar PRIMARY KEY NOT NULL,
      "description" text NOT NULL,
      "pattern" text NOT NULL,
      "flags" varchar NOT NULL,
      "built_in" boolean NOT NULL,
      "enabled" boolean NOT NULL DEFAULT ${pg ? 'true' : '1'}
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "diff_rules"`);
    await q.query(`DROP TABLE "dual_runs"`);
  }
}
