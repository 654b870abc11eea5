import * as fs from 'fs';
import * as path from 'path';
import type { DataSourceOptions } from 'typeorm';
import { varDir } from '../paths';
import { ENTITIES } from './entities';
import { MIGRATIONS } from '../../migrations';

export function databasePath(configured: string): string {
  return configured || path.join(varDir(), 'data', 'playground.sqlite');
}

/**
 * SQLite through TypeORM. Schema changes happen only through migrations/ (never synchronize),
 * and WAL keeps readers (the admin UI) from blocking the writers (dual runs).
 */
export function databaseOptions(configured: string): DataSourceOptions {
  const file = databasePath(configured);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return {
    type: 'better-sqlite3',
    database: file,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  };
}
