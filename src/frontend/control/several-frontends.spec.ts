import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { Settings, validateSettings } from '../../platform/config/settings';
import { Transactions } from '../db/transactions';
import { AuditService } from './audit.service';
import { ControlService } from './control.service';
import { AuditEvent } from './audit-event.entity';
import { ReadinessService } from '../release/readiness.service';
import { ReleaseDayService } from '../release/release-day.service';
import type { SandboxStatus } from '../sandbox-client/sandbox-status';
import { testDatabase, TestDatabase } from '../../../test/support/database';

// Two frontends' control planes (each its own DataSource, queue, services) on one real
// database: SQLite by default, PostgreSQL with TEST_POSTGRES_URL (scripts/with-postgres.sh),
// where they run truly side by side. Only the sandbox behind each is a recorder here: the
// two-frontend test (test/control/several-frontends.e2e-spec.ts) has the real one.
const POLL_MS = 150;

interface Frontend {
  db: DataSource;
  control: ControlService;
  release: ReleaseDayService;
  drains: boolean[];
}

let where: TestDatabase;
let a: Frontend;
let b: Frontend;

async function frontend(): Promise<Frontend> {
  const db = await where.open();
  const settings = new Settings(validateSettings({ CONTROL_STATE_POLL_MS: String(POLL_MS), RELEASE_SCHEDULE_POLL_MS: '600000' }) as never);
  const control = new ControlService(db, new Transactions(db), new AuditService(db), settings);
  const drains: boolean[] = [];
  const sandbox = { legacyWarm: () => false, drainLegacy: async (on: boolean) => { drains.push(on); } } as unknown as SandboxStatus;
  const release = new ReleaseDayService(control, new ReadinessService(db, settings), sandbox, settings);
  await control.onApplicationBootstrap();
  await release.onApplicationBootstrap();
  return { db, control, release, drains };
}

beforeAll(async () => {
  where = await testDatabase('several-frontends');
  a = await frontend();
  b = await frontend();
});

afterAll(async () => {
  for (const f of [a, b]) {
    f.release.onApplicationShutdown();
    f.control.onApplicationShutdown();
    await f.db.destroy();
  }
  await where.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long until `seen` holds, in ms; fails past `limit`. */
async function within(limit: number, seen: () => boolean): Promise<number> {
  const began = Date.now();
  while (!seen()) {
    if (Date.now() - began > limit) throw new Error(`not seen within ${limit} ms`);
    await sleep(10);
  }
  return Date.now() - began;
}

const audit = (action: string) => a.db.getRepository(AuditEvent).findBy({ action });

it('both frontends route with the one bucket salt made by the migration', () => {
  expect(a.control.state().bucketSalt).toMatch(/^[0-9a-f]{32}$/);
  expect(b.control.state().bucketSalt).toBe(a.control.state().bucketSalt);
});

it('a flag changed on one frontend is obeyed by the other within the poll interval', async () => {
  expect(b.control.state().rolloutBp).toBe(0);
  await a.control.setFlags('alice', { rolloutBp: 2500, killSwitch: true }, 'quarter, then stop');
  expect(a.control.state().rolloutBp).toBe(2500); // at once where it was made
  const took = await within(POLL_MS * 3, () => b.control.state().rolloutBp === 2500 && b.control.state().killSwitch);
  expect(took).toBeLessThanOrEqual(POLL_MS * 3);
  expect(b.control.state().version).toBe(a.control.state().version);
});

it('a release-day flip on one frontend is obeyed by the other, which drains its own legacy pools', async () => {
  await a.release.flip('alice', { reason: 'go 1.14 is out', confirm: 'release day', override: true });
  expect(a.drains).toEqual([true]);
  await within(POLL_MS * 3, () => b.control.state().releaseDay);
  await within(POLL_MS * 3, () => b.drains.length === 1);
  expect(b.drains).toEqual([true]);
  // The other one now refuses a second flip, as the first one does.
  await expect(b.release.flip('bob', { reason: 'again', confirm: 'release day', override: true })).rejects.toThrow(/already switched on/);
  expect(await audit('release-day: flip (override)')).toHaveLength(1);

  await b.release.rollback('bob', 'not yet after all');
  await within(POLL_MS * 3, () => !a.control.state().releaseDay);
  expect(a.drains).toEqual([true, false]);
});

it('a scheduled flip is carried out once, by one frontend, with one audit event', async () => {
  const at = new Date(Date.now() + 400);
  await a.release.schedule('alice', at.toISOString(), { reason: 'at the release', override: true });
  await within(POLL_MS * 3, () => b.control.state().releaseScheduledFor !== null);
  await sleep(at.getTime() - Date.now() + 20);
  const version = a.control.state().version;
  // Both frontends find the schedule due at the same moment, from the state they hold.
  if (where.dialect === 'postgres') {
    await Promise.all([a.release.runSchedule(), b.release.runSchedule()]);
  } else {
    // One SQLite connection writes at a time in a process; the second finds the first's flip.
    await a.release.runSchedule();
    await b.release.runSchedule();
  }
  const flips = await audit('release-day: flip (scheduled)');
  expect(flips).toHaveLength(1);
  expect(flips[0].actor).toBe('scheduler (for alice)');
  await within(POLL_MS * 3, () => a.control.state().releaseDay && b.control.state().releaseDay);
  expect(a.control.state().version).toBe(version + 1);
  expect(b.control.state().version).toBe(version + 1);
  expect(a.control.state().releaseScheduledFor).toBeNull();
});

it('keeps the audit log append-only on this database, even for direct SQL', async () => {
  const n = Number((await where.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM audit_events'))[0].n);
  expect(n).toBeGreaterThanOrEqual(5);
  await expect(where.query(`UPDATE audit_events SET reason = 'rewritten' WHERE id = (SELECT MIN(id) FROM audit_events)`)).rejects.toThrow(/append-only/);
  await expect(where.query('DELETE FROM audit_events WHERE id = (SELECT MIN(id) FROM audit_events)')).rejects.toThrow(/append-only/);
  if (where.dialect === 'postgres') await expect(where.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
  expect(Number((await where.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM audit_events'))[0].n)).toBe(n);
  // Every event's "before" is the previous one's "after": no change was lost or applied twice.
  const events = await a.db.getRepository(AuditEvent).find({ order: { id: 'ASC' } });
  for (let i = 1; i < events.length; i++) {
    expect((JSON.parse(events[i].before) as { version: number }).version).toBe((JSON.parse(events[i - 1].after) as { version: number }).version);
  }
});
