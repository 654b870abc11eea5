import { MigrationInterface, QueryRunner } from 'typeorm';
import { randomBytes } from 'crypto';
import { dialectOf } from '../src/frontend/db/dialect';

export class ControlPlane1764400001000 implements MigrationInterface {
  name = 'ControlPlane1764400001000';

  async up(q: QueryRunner): Promise<void> {
    if (dialectOf(q.connection) === 'postgres') return this.upPostgres(q);
    await q.query(`CREATE TABLE "control_state" (
      "id" integer PRIMARY KEY NOT NULL CHECK ("id" = 1),
      "rollout_bp" integer NOT NULL DEFAULT 0 CHECK ("rollout_bp" BETWEEN 0 AND 10000),
      "shadow_bp" integer NOT NULL DEFAULT 0 CHECK ("shadow_bp" BETWEEN 0 AND 10000),
      "opt_in_header" boolean NOT NULL DEFAULT 1,
      "opt_in_comment" boolean NOT NULL DEFAULT 1,
      "kill_switch" boolean NOT NULL DEFAULT 0,
      "release_day" boolean NOT NULL DEFAULT 0,
      "release_day_at" datetime,
      "release_scheduled_for" datetime,
      "release_schedule_reason" varchar,
      "release_schedule_by" varchar,
      "bucket_salt" varchar NOT NULL,
      "version" integer NOT NULL DEFAULT 1
    )`);
    // The salt is made once, here, so buckets survive restarts and deploys.
    await q.query(`INSERT INTO "control_state" ("id", "bucket_salt") VALUES (1, ?)`, [randomBytes(16).toString('hex')]);
    await q.query(`CREATE TABLE "audit_events" (
      "id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
      "at" datetime NOT NULL,
      "actor" varchar NOT NULL,
      "action" varchar NOT NULL,
      "before_json" text NOT NULL,
      "after_json" text NOT NULL,
      "reason" text NOT NULL
    )`);
    await q.query(`CREATE INDEX "audit_events_at" ON "audit_events" ("at")`);
    await q.query(`CREATE TRIGGER "audit_events_no_update" BEFORE UPDATE ON "audit_events"
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END`);
    await q.query(`CREATE TRIGGER "audit_events_no_delete" BEFORE DELETE ON "audit_events"
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END`);
  }

  /** The same tables on PostgreSQL; append-only by a trigger function (TRUNCATE refused too). */
  private async upPostgres(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "control_state" (
      "id" integer PRIMARY KEY NOT NULL CHECK ("id" = 1),
      "rollout_bp" integer NOT NULL DEFAULT 0 CHECK ("rollout_bp" BETWEEN 0 AND 10000),
      "shadow_bp" integer NOT NULL DEFAULT 0 CHECK ("shadow_bp" BETWEEN 0 AND 10000),
      "opt_in_header" boolean NOT NULL DEFAULT true,
      "opt_in_comment" boolean NOT NULL DEFAULT true,
      "kill_switch" boolean NOT NULL DEFAULT false,
      "release_day" boolean NOT NULL DEFAULT false,
      "release_day_at" timestamptz,
      "release_scheduled_for" timestamptz,
      "release_schedule_reason" varchar,
      "release_schedule_by" varchar,
      "bucket_salt" varchar NOT NULL,
      "version" integer NOT NULL DEFAULT 1
    )`);
    await q.query(`INSERT INTO "control_state" ("id", "bucket_salt") VALUES (1, $1)`, [randomBytes(16).toString('hex')]);
    await q.query(`CREATE TABLE "audit_events" (
      "id" serial PRIMARY KEY NOT NULL,
      "at" timestamptz NOT NULL,
      "actor" varchar NOT NULL,
      "action" varchar NOT NULL,
      "before_json" text NOT NULL,
      "after_json" text NOT NULL,
      "reason" text NOT NULL
    )`);
    await q.query(`CREATE INDEX "audit_events_at" ON "audit_events" ("at")`);
    await q.query(`CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$`);
    await q.query(`CREATE TRIGGER "audit_events_no_change" BEFORE UPDATE OR DELETE ON "audit_events"
      FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"()`);
    await q.query(`CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
      FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_events"`);
    await q.query(`DROP TABLE "control_state"`);
    if (dialectOf(q.connection) === 'postgres') await q.query(`DROP FUNCTION "audit_events_append_only"()`);
  }
}
