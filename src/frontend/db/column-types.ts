import type { DataSource } from 'typeorm';

/**
 * The entities name their columns with SQLite's types (`datetime`, `blob`), the schema that
 * existing databases have. TypeORM has no per-driver column type, and its PostgreSQL driver
 * refuses those two names when it checks the entities, so it is taught what they are there:
 * the migrations make them `timestamptz` and `bytea`. The values need no conversion: the pg
 * client sends a Date with its offset and a Buffer as bytea, and reads them back as such.
 */
const ON_POSTGRES: Record<string, string> = { datetime: 'timestamp with time zone', blob: 'bytea' };

export function teachColumnTypes(db: DataSource): void {
  if (db.options.type !== 'postgres') return;
  const driver = db.driver;
  const normalize = driver.normalizeType.bind(driver);
  driver.normalizeType = (column) => (typeof column.type === 'string' && ON_POSTGRES[column.type]) || normalize(column);
}
