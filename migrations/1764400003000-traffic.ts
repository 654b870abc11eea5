import { MigrationInterface, QueryRunner } from 'typeorm';

export class Traffic1764400003000 implements MigrationInterface {
  name = 'Traffic1764400003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "traffic_minutes" (
      "minute" varchar NOT NULL,
      "backend" varchar NOT NULL,
      "requests" integer NOT NULL,
      "errors" integer NOT NULL,
      "failures" integer NOT NULL,
      "total_ms" integer NOT NULL,
      "p95_ms" integer NOT NULL,
      PRIMARY KEY ("minute", "backend")
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "traffic_minutes"`);
  }
}
