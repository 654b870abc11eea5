import { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectOf } from '../src/frontend/db/dialect';

export class CreateSnippets1764400000000 implements MigrationInterface {
  name = 'CreateSnippets1764400000000';

  async up(q: QueryRunner): Promise<void> {
    if (dialectOf(q.connection) === 'postgres') {
      await q.query(`CREATE TABLE "snippets" (
        "id" varchar(64) PRIMARY KEY NOT NULL,
        "body" bytea NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
      return;
    }
    await q.query(`CREATE TABLE "snippets" (
      "id" varchar(64) PRIMARY KEY NOT NULL,
      "body" blob NOT NULL,
      "created_at" datetime NOT NULL DEFAULT (datetime('now'))
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "snippets"`);
  }
}
