import { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectOf } from '../src/frontend/db/dialect';

/**
 * Several frontends on one database: a pending shadow belongs to the frontend that runs it
 * (`owner`), which renews `claimed_at` while it lives; another takes it over only once the claim
 * is stale, so a shadow is neither run twice nor left behind when its frontend is gone. Rows
 * from before have no owner: the next frontend to start takes them, as it did until now.
 */
export class ShadowOwners1764600000000 implements MigrationInterface {
  name = 'ShadowOwners1764600000000';

  async up(q: QueryRunner): Promise<void> {
    const time = dialectOf(q.connection) === 'postgres' ? 'timestamptz' : 'datetime';
    await q.query(`ALTER TABLE "shadow_jobs" ADD COLUMN "owner" varchar NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE "shadow_jobs" ADD COLUMN "claimed_at" ${time}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "shadow_jobs" DROP COLUMN "claimed_at"`);
    await q.query(`ALTER TABLE "shadow_jobs" DROP COLUMN "owner"`);
  }
}
