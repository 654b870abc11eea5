import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomBytes } from 'crypto';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { databaseOptions, DatabaseSetting } from '../../src/frontend/db/database-options';
import { openDatabase } from '../../src/frontend/db/open-database';
import type { Dialect } from '../../src/frontend/db/dialect';

/**
 * The database a spec runs on: a fresh SQLite file by default, or, with TEST_POSTGRES_URL set
 * (scripts/with-postgres.sh sets it), a fresh database of its own on that PostgreSQL server.
 * Both are real: the service's own options and migrations.
 */
export interface TestDatabase {
  dialect: Dialect;
  setting: DatabaseSetting;
  /** The settings that point a frontend at it (DATABASE_PATH or DATABASE_URL). */
  env: Record<string, string>;
  /** A DataSource as the service opens it (migrations applied unless told otherwise). */
  open(migrate?: boolean): Promise<DataSource>;
  /** Raw SQL beside the service, on a connection of its own; `?` placeholders on both. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export async function testDatabase(name = 'spec'): Promise<TestDatabase> {
  const admin = process.env.TEST_POSTGRES_URL;
  if (admin) return postgresDatabase(admin, name);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `db-${name}-`));
  const file = path.join(dir, 'playground.sqlite');
  const setting = { path: file };
  return {
    dialect: 'sqlite',
    setting,
    env: { DATABASE_PATH: file, DATABASE_URL: '' },
    open: (migrate = true) => openDatabase(databaseOptions(setting), migrate),
    query: async <T>(sql: string, params: unknown[] = []) => {
      const db = new Database(file, { fileMustExist: true });
      try {
        db.pragma('busy_timeout = 5000');
        const st = db.prepare(sql);
        return (st.reader ? st.all(...params) : (st.run(...params), [])) as T[];
      } catch (e) {
        // better-sqlite3's native part keeps the error class of the first spec file that loaded
        // it: in a later file of the same jest process that error is not an Error of this
        // file's realm, and `rejects.toThrow` takes it for no error at all.
        throw new Error((e as Error).message);
      } finally {
        db.close();
      }
    },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A database created for this spec on the given server, dropped afterwards. */
export async function postgresDatabase(adminUrl: string, name = 'spec'): Promise<TestDatabase> {
  const dbName = `play_${name.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const onAdmin = async <T>(work: (c: Client) => Promise<T>): Promise<T> => {
    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  };
  await onAdmin((c) => c.query(`CREATE DATABASE "${dbName}"`));
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const url = u.toString();
  const setting = { url };
  return {
    dialect: 'postgres',
    setting,
    env: { DATABASE_URL: url },
    open: (migrate = true) => openDatabase(databaseOptions(setting), migrate),
    query: async <T>(sql: string, params: unknown[] = []) => {
      const c = new Client({ connectionString: url });
      await c.connect();
      try {
        let n = 0;
        return (await c.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
      } finally {
        await c.end();
      }
    },
    drop: () => onAdmin(async (c) => { await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`); }),
  };
}
