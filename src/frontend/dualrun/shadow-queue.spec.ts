import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { Registry } from 'prom-client';
import { testDatabase, TestDatabase } from '../../../test/support/database';
import { Transactions } from '../db/transactions';
import { Settings, validateSettings } from '../../platform/config/settings';
import { AuditService } from '../control/audit.service';
import { ControlService } from '../control/control.service';
import { ClientKeys } from './client-keys.service';
import { MAX_SHADOW_ATTEMPTS, ShadowOffer, ShadowQueue } from './shadow-queue';
import { ShadowJob, ShadowJobStore, ShadowTakenOverError } from './shadow-job.store';
import { ShadowJobRow } from './shadow-job.entity';

// The queue with its real store on real SQLite (the service's migrations, a temp file) or
// PostgreSQL (TEST_POSTGRES_URL); only the worker, the dual-run machinery behind it, is the
// test's own function.
let where: TestDatabase;
let db: DataSource;
let store: ShadowJobStore;
let keys: ClientKeys;

beforeAll(async () => {
  where = await testDatabase('shadow-queue');
  db = await where.open();
  const tx = new Transactions(db);
  const control = new ControlService(db, tx, new AuditService(db), new Settings(validateSettings({}) as never));
  await control.reload();
  keys = new ClientKeys(control);
  store = new ShadowJobStore(db, tx, new Settings(validateSettings({ FRONTEND_ID: 'frontend-a' }) as never));
});

afterAll(async () => {
  await db.destroy();
  await where.drop();
});

function queue(size = 10): ShadowQueue {
  const settings = new Settings(validateSettings({ SHADOW_QUEUE_SIZE: String(size), SHADOW_CONCURRENCY: '1' }) as never);
  return new ShadowQueue(settings, new Registry(), store, keys);
}

const offer = (body: string, clientAddress = '203.0.113.9'): ShadowOffer => ({
  body, withVet: false, reason: 'test', primary: 'linux-amd64', shadow: 'nacl-emulated',
  primaryResponse: { Errors: '', Events: [{ Message: 'hi\n', Kind: 'stdout', Delay: 0 }], Status: 0, IsTest: false, TestsFailed: 0 } as never,
  primaryMs: 5, clientAddress,
});

const rows = () => db.getRepository(ShadowJobRow).find({ order: { id: 'ASC' } });

beforeEach(async () => {
  await db.query('DELETE FROM shadow_jobs');
});

describe('ShadowQueue', () => {
  it('stores a shadow before offer resolves, with the client key and never the address', async () => {
    const q = queue();
    expect(await q.offer(offer('package main // stored'))).toBe(true);
    const [row] = await rows();
    expect(row).toMatchObject({ state: 'pending', body: 'package main // stored', attempts: 0, clientKey: keys.of('203.0.113.9') });
    expect(JSON.stringify(row)).not.toContain('203.0.113.9');
    expect(JSON.parse(row.primaryResponse)).toMatchObject({ Events: [{ Message: 'hi\n' }] });
  });

  it('drops (and counts) a shadow past the queue size without storing it', async () => {
    const q = queue(1);
    expect(await q.offer(offer('one'))).toBe(true);
    expect(await q.offer(offer('two'))).toBe(false);
    expect(q.dropped).toBe(1);
    expect((await rows()).map((r) => r.body)).toEqual(['one']);
  });

  it('counts a shadow whose dual run failed as lost, with the reason', async () => {
    const q = queue();
    await q.offer(offer('fails'));
    q.setWorker(async () => { throw new Error('backend nacl-emulated is no longer registered'); });
    await q.idle();
    const [row] = await rows();
    expect(row).toMatchObject({ state: 'lost', attempts: 1, lostReason: 'dual run failed: backend nacl-emulated is no longer registered' });
    expect(await q.lostCount()).toBe(1);
  });

  it('after a restart, runs what the last run accepted, and gives up on shadows started too often', async () => {
    const first = queue();
    for (const b of ['a', 'b', 'c']) await first.offer(offer(b));
    const [, b, c] = await rows();
    // b was running when the frontend died (twice); c was started MAX_SHADOW_ATTEMPTS times.
    await db.query(`UPDATE shadow_jobs SET attempts = 2 WHERE id = ${b.id}`);
    await db.query(`UPDATE shadow_jobs SET attempts = ${MAX_SHADOW_ATTEMPTS} WHERE id = ${c.id}`);

    const second = queue();
    const ran: ShadowJob[] = [];
    await second.onApplicationBootstrap();
    second.setWorker(async (job) => {
      ran.push(job);
      await db.query(`DELETE FROM shadow_jobs WHERE id = ${job.id}`); // what the dual-run service does when it stores
    });
    await second.idle();
    expect(ran.map((j) => j.body)).toEqual(['a', 'b']);
    expect(ran[0]).toMatchObject({ clientKey: keys.of('203.0.113.9'), primaryResponse: { Status: 0 } });
    expect(second.recovered).toBe(2);
    // As the application would on its way down: its claim renewal must not outlive the database.
    await second.beforeApplicationShutdown();
    const left = await rows();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ body: 'c', state: 'lost' });
    expect(left[0].lostReason).toMatch(/started 3 times/);
  });

  it('with two frontends on one database: leaves the other\'s fresh shadows alone, takes over stale ones, and stores each once', async () => {
    const first = queue();
    for (const b of ['mine', 'also mine']) await first.offer(offer(b));
    const other = new ShadowJobStore(db, new Transactions(db), new Settings(validateSettings({ FRONTEND_ID: 'frontend-b', SHADOW_TAKEOVER_MS: '1000' }) as never));
    expect(await other.claim(true)).toEqual([]); // frontend-a holds them and renewed just now
    await new Promise((r) => setTimeout(r, 1100)); // frontend-a stops renewing (it died)
    const taken = await other.claim(false);
    expect(taken.map((r) => r.body)).toEqual(['mine', 'also mine']);
    expect((await rows()).map((r) => r.owner)).toEqual(['frontend-b', 'frontend-b']);
    // frontend-a comes back to life and stores its dual run: refused, rolled back with it.
    const tx = new Transactions(db);
    await expect(tx.run((m) => store.finish(m, taken[0].id))).rejects.toBeInstanceOf(ShadowTakenOverError);
    await store.lose(taken[0].id, 'frontend-a gave up');
    expect((await rows())[0]).toMatchObject({ state: 'pending', owner: 'frontend-b' });
    await tx.run((m) => other.finish(m, taken[0].id));
    expect((await rows()).map((r) => r.body)).toEqual(['also mine']);
  });

  it('prunes lost shadows older than the retention, and only those', async () => {
    const q = queue();
    await q.offer(offer('lost long ago'));
    await q.offer(offer('still waiting'));
    const [old] = await rows();
    await store.lose(old.id, 'test');
    const tx = new Transactions(db);
    await tx.run((m) => store.pruneLost(m, new Date(Date.now() - 60_000)));
    expect((await rows()).map((r) => r.body)).toEqual(['lost long ago', 'still waiting']);
    await tx.run((m) => store.pruneLost(m, new Date(Date.now() + 60_000)));
    expect((await rows()).map((r) => r.body)).toEqual(['still waiting']);
  });

  it('starts nothing once the application is stopping; what waits stays stored for the next start', async () => {
    const q = queue();
    await q.offer(offer('waits'));
    await q.beforeApplicationShutdown();
    let ran = 0;
    q.setWorker(async () => { ran++; });
    await new Promise((r) => setTimeout(r, 300));
    expect(ran).toBe(0);
    expect(await rows()).toMatchObject([{ body: 'waits', state: 'pending' }]);
    expect(await q.offer(offer('after stop'))).toBe(false);
  });
});
