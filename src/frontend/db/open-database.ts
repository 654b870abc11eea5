import { DataSource, DataSourceOptions } from 'typeorm';
import { teachColumnTypes } from './column-types';
import { dialectOf } from './dialect';

/** Any fixed number, the same in every frontend: the key of the migrations' lock. */
const MIGRATION_LOCK = 7_514_001;

/**
 * Opens the database and applies pending migrations. On PostgreSQL several frontends may start
 * at once: the first one to take a session lock migrates, the others wait for it and then find
 * nothing left to do (TypeORM's own migration run takes no lock).
 */
export async function openDatabase(options: DataSourceOptions, migrate = true): Promise<DataSource> {
  const db = new DataSource({ ...options, migrationsRun: false });
  teachColumnTypes(db);
  await db.initialize();
  if (!migrate) return db;
  try {
    await runMigrations(db);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return db;
}

/** Applies pending migrations, each in its own transaction; answers how many ran. */
export async function runMigrations(db: DataSource): Promise<number> {
  if (dialectOf(db) === 'sqlite') return (await db.runMigrations({ transaction: 'each' })).length;
  const lock = db.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return (await db.runMigrations({ transaction: 'each' })).length;
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}
