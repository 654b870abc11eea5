import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseOptions, databasePath } from './database-options';

/** Applies pending migrations (run by the set-up before start and tests). */
async function main(): Promise<void> {
  const configured = process.env.DATABASE_PATH ?? '';
  const ds = new DataSource({ ...databaseOptions(configured), migrationsRun: false });
  await ds.initialize();
  const applied = await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  console.log(`[setup] database ${databasePath(configured)}: ${applied.length} migration(s) applied`);
}

main().catch((e: Error) => {
  console.error(`[setup] ERROR: migrations failed: ${e.message}`);
  process.exit(1);
});
