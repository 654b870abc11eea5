import { execFileSync } from 'child_process';
import * as path from 'path';

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'postgres.sh');

export interface Postgres {
  /** The superuser's URL, database postgres, on 127.0.0.1. */
  url: string;
  stop(): void;
}

/** A throwaway PostgreSQL server of this test's own (Debian's postgresql-15, on loopback). */
export function startPostgres(): Postgres {
  const out = execFileSync('bash', [SCRIPT, 'start'], { encoding: 'utf8', timeout: 120_000 });
  const dir = /^DIR=(.*)$/m.exec(out)?.[1];
  const url = /^URL=(.*)$/m.exec(out)?.[1];
  if (!dir || !url) throw new Error(`scripts/postgres.sh start printed no server: ${out}`);
  return { url, stop: () => execFileSync('bash', [SCRIPT, 'stop', dir], { timeout: 60_000 }) };
}
