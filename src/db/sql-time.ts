/** A Date in the form TypeORM stores datetime columns in SQLite (UTC), for comparisons in SQL. */
export function sqlTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}
