import type { DataSource } from 'typeorm';

/** The two databases the service runs on: SQLite (one frontend) and PostgreSQL (several). */
export type Dialect = 'sqlite' | 'postgres';

export function dialectOf(db: Pick<DataSource, 'options'>): Dialect {
  return db.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * Raw SQL is written with `?` placeholders (SQLite's); PostgreSQL numbers them ($1, $2, …).
 * Only for our own SQL text, whose `?` are all placeholders (no string literal holds one).
 */
export function placeholders(db: Pick<DataSource, 'options'>, sql: string): string {
  if (dialectOf(db) === 'sqlite') return sql;
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
