import 'reflect-metadata';
import * as fs from 'fs';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { NestedTransactionError, Transactions } from './transactions';
import { Snippet } from '../share/snippet.entity';
import { testDatabase, TestDatabase } from '../../../test/support/database';

// Real SQLite through TypeORM (the service's own options and migrations), in a temp dir, or
// PostgreSQL with TEST_POSTGRES_URL (scripts/with-postgres.sh).
let where: TestDatabase;
let db: DataSource;
let tx: Transactions;

beforeAll(async () => {
  where = await testDatabase('transactions');
  db = await where.open();
  tx = new Transactions(db);
});

afterAll(async () => {
  await db.destroy();
  await where.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stored = async (id: string) => (await db.getRepository(Snippet).findOneBy({ id })) !== null;
const insert = (id: string) => tx.run((m) => m.createQueryBuilder().insert().into(Snippet).values({ id, body: Buffer.from(id) }).execute());

describe('Transactions', () => {
  it('a transaction that awaits real I/O and fails does not take a later, committed one with it', async () => {
    const first = tx.run(async (m) => {
      await m.createQueryBuilder().insert().into(Snippet).values({ id: 'first', body: Buffer.from('1') }).execute();
      await sleep(50); // real I/O: the event loop turns, the second request arrives meanwhile
      throw new Error('the first one fails');
    });
    const second = insert('second');
    await expect(first).rejects.toThrow('the first one fails');
    await second;
    expect(await stored('first')).toBe(false);
    expect(await stored('second')).toBe(true);
  });

  it('runs transactions one at a time, in the order asked', async () => {
    const log: string[] = [];
    const work = (name: string, ms: number) => tx.run(async () => {
      log.push(`${name} begins`);
      await sleep(ms);
      log.push(`${name} ends`);
    });
    await Promise.all([work('a', 30), work('b', 1), work('c', 10)]);
    expect(log).toEqual(['a begins', 'a ends', 'b begins', 'b ends', 'c begins', 'c ends']);
  });

  it('goes on after a failed transaction', async () => {
    await expect(tx.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await insert('after-boom');
    expect(await stored('after-boom')).toBe(true);
  });

  it('refuses a transaction inside another one instead of waiting for itself forever', async () => {
    await expect(tx.run(() => tx.run(async () => 1))).rejects.toBeInstanceOf(NestedTransactionError);
    // Work started from inside a transaction but left running after it ended is not nested.
    let later: Promise<unknown> | undefined;
    await tx.run(async () => { later = sleep(5).then(() => insert('later')); });
    await later;
    expect(await stored('later')).toBe(true);
  });
});

// ---- the rule, checked on the source: nothing writes around the queue ------------------------

const ROOT = path.resolve(__dirname, '..', '..', '..');
const WRITES = new Set(['save', 'insert', 'update', 'delete', 'remove', 'upsert', 'increment', 'decrement', 'clear', 'softDelete', 'restore']);

function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

/**
 * Every call chain that starts on the DataSource (injected as `db` throughout the service):
 * `this.db.getRepository(X).save(…)` is [getRepository, save], with each call's arguments
 * (for `query`, its SQL). Arguments are skipped by balancing brackets, so a write method of
 * something else inside them (a hash's update) is not taken for the chain's.
 */
function dataSourceChains(source: string): Array<Array<{ method: string; args: string }>> {
  const chains: Array<Array<{ method: string; args: string }>> = [];
  for (const m of source.matchAll(/\b(?:this\.)?db\s*\./g)) {
    const chain: Array<{ method: string; args: string }> = [];
    let i = m.index + m[0].length;
    for (;;) {
      const id = /^\s*(\w+)\s*/.exec(source.slice(i));
      if (!id) break;
      i += id[0].length;
      let args = '';
      if (source[i] === '(') {
        const start = i;
        for (let depth = 0; i < source.length; i++) {
          if ('([{'.includes(source[i])) depth++;
          else if (')]}'.includes(source[i]) && --depth === 0) break;
        }
        args = source.slice(start + 1, i++);
      }
      chain.push({ method: id[1], args });
      const dot = /^\s*\./.exec(source.slice(i));
      if (!dot) break;
      i += dot[0].length;
    }
    chains.push(chain);
  }
  return chains;
}

describe('every write goes through Transactions', () => {
  const files = [...sources(path.join(ROOT, 'src')), ...sources(path.join(ROOT, 'legacy-nacl'))];

  it('finds the service\'s sources', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('no transaction() is started anywhere else', () => {
    const own = path.join(ROOT, 'src', 'frontend', 'db', 'transactions.ts');
    const found = files.filter((f) => f !== own && /\.transaction\s*\(/.test(fs.readFileSync(f, 'utf8')));
    expect(found.map((f) => path.relative(ROOT, f))).toEqual([]);
  });

  it('nothing writes on the DataSource directly (each write runs inside Transactions.run)', () => {
    const found: string[] = [];
    for (const f of files) {
      if (f.endsWith(path.join('db', 'transactions.ts')) || f.endsWith(path.join('db', 'migrate.ts'))) continue;
      for (const chain of dataSourceChains(fs.readFileSync(f, 'utf8'))) {
        const writes = chain.some((c) => WRITES.has(c.method) || (c.method === 'query' && !/^\s*[`'"]\s*(SELECT|WITH)\b/i.test(c.args)));
        if (writes) found.push(`${path.relative(ROOT, f)}: db.${chain.map((c) => c.method).join('(…).')}(…)`);
      }
    }
    expect(found).toEqual([]);
  });
});
