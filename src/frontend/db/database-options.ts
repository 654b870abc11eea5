import * as fs from 'fs';
import * as path from 'path';
import type { DataSourceOptions } from 'typeorm';
import { varDir } from '../../platform/paths';
import { ENTITIES } from './entities';
import { MIGRATIONS } from '../../../migrations';

function databasePath(configured: string): string {
  return configured || path.join(varDir(), 'data', 'playground.sqlite');
}

/** Where the database is: DATABASE_URL (PostgreSQL) when set, else the SQLite file DATABASE_PATH. */
export interface DatabaseSetting {
  path?: string;
  url?: string;
}

/**
 * SQLite (the default) or PostgreSQL (DATABASE_URL, several frontends on one database) through
 * TypeORM, with the same entities and migrations. Schema changes happen only through
 * migrations/ (never synchronize); openDatabase runs them, under a lock on PostgreSQL.
 */
export function databaseOptions(where: DatabaseSetting | string): DataSourceOptions {
  const setting = typeof where === 'string' ? { path: where } : where;
  const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: false, synchronize: false } as const;
  if (setting.url) {
    return {
      ...common,
      type: 'postgres',
      url: setting.url,
      // Times are compared and shown in UTC whatever the server's own zone is.
      extra: { options: '-c TimeZone=UTC', max: 10, connectionTimeoutMillis: 10_000 },
    };
  }
  const file = databasePath(setting.path ?? '');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: file,
    // WAL keeps readers (the admin UI) from blocking the writers (dual runs).
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  };
}

/** Where a database is, for logs: never the URL, which may hold a password. */
export function describeDatabase(setting: DatabaseSetting): string {
  if (!setting.url) return databasePath(setting.path ?? '');
  const u = new URL(setting.url);
  return `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
}
