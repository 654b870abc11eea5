import 'reflect-metadata';
import { databaseOptions, describeDatabase } from './database-options';
import { openDatabase, runMigrations } from './open-database';

/** Applies pending migrations (run by the set-up before start and tests). */
async function main(): Promise<void> {
  const where = { path: process.env.DATABASE_PATH ?? '', url: process.env.DATABASE_URL ?? '' };
  const db = await openDatabase(databaseOptions(where), false);
  const applied = await runMigrations(db);
  await db.destroy();
  console.log(`[setup] database ${describeDatabase(where)}: ${applied} migration(s) applied`);
}

main().catch((e: Error) => {
  console.error(`[setup] ERROR: migrations failed: ${e.message}`);
  process.exit(1);
});
