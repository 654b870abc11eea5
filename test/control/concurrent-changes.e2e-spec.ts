/**
 * Two flag changes and a release-day flip at the same moment, against the real frontend and
 * SQLite (no sandbox is needed: the flip is an override, and the legacy pools it would drain
 * are not there). Every change must read the state the one before it wrote: versions go up by
 * one, every audit event's "before" is the previous event's "after", and the state in memory
 * and in the database is the last "after".
 *
 * Both ways changes arrive at once are covered: in one tick inside the process (the way two
 * transactions overlapped on TypeORM's one better-sqlite3 connection, as savepoints of each
 * other), and as simultaneous admin API requests.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { INestApplication } from '@nestjs/common';
import Database from 'better-sqlite3';
import { freePort, request } from '../support/http';

let app: INestApplication;
let url: string;
let dir: string;
let dbPath: string;
const token = `rm-concurrent-${process.pid}-${Date.now()}`;

// Loaded after the environment is set: settings are read when the application starts.
type Control = import('../../src/frontend/control/control.service').ControlService;
type Release = import('../../src/frontend/release/release-day.service').ReleaseDayService;
let control: Control;
let release: Release;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concurrent-changes-'));
  dbPath = path.join(dir, 'playground.sqlite');
  // Nothing listens on the sandbox port: the frontend only needs the database here.
  const nobody = await freePort();
  Object.assign(process.env, {
    FRONTEND_PORT: '0', DATABASE_PATH: dbPath, SANDBOX_URL: `http://127.0.0.1:${nobody}`,
    ADMIN_TOKENS: `${token}:release-manager:alice`, RATE_LIMIT_PER_MINUTE: '0',
  });
  const { startFrontend } = await import('../../src/frontend/main');
  app = await startFrontend();
  url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  control = app.get((await import('../../src/frontend/control/control.service')).ControlService);
  release = app.get((await import('../../src/frontend/release/release-day.service')).ReleaseDayService);
}, 120_000);

afterAll(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

interface AuditRow {
  id: number;
  actor: string;
  action: string;
  reason: string;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** The audit trail as stored, oldest first. */
function storedAudit(): AuditRow[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, actor, action, reason, before_json, after_json FROM audit_events ORDER BY id').all() as Array<Record<string, string | number>>;
    return rows.map((r) => ({
      id: Number(r.id), actor: String(r.actor), action: String(r.action), reason: String(r.reason),
      before: JSON.parse(String(r.before_json)), after: JSON.parse(String(r.after_json)),
    }));
  } finally {
    db.close();
  }
}

function storedVersion(): number {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT version FROM control_state WHERE id = 1').get() as { version: number }).version;
  } finally {
    db.close();
  }
}

/** The events since `fromId` form one chain: each starts where the one before ended. */
function expectChain(events: AuditRow[], startVersion: number): void {
  events.forEach((e, i) => {
    expect(e.before.version).toBe(startVersion + i);
    expect(e.after.version).toBe(startVersion + i + 1);
    if (i > 0) expect(e.before).toEqual(events[i - 1].after);
  });
}

describe('concurrent control-plane changes', () => {
  it('in one tick of the process: two flag changes and a release-day flip, each on top of the one before', async () => {
    const start = control.state().version;
    const known = new Set(storedAudit().map((e) => e.id));
    const results = await Promise.allSettled([
      control.setFlags('alice', { rolloutBp: 3000 }, 'concurrent: rollout to 30 %'),
      control.setFlags('bob', { shadowBp: 5000 }, 'concurrent: shadow half'),
      release.flip('carol', { reason: 'concurrent: release day', confirm: 'release day', override: true }),
    ]);
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok']);

    const events = storedAudit().filter((e) => !known.has(e.id));
    expect(events.map((e) => e.reason).sort()).toEqual(['concurrent: release day', 'concurrent: rollout to 30 %', 'concurrent: shadow half']);
    expectChain(events, start);
    const last = events[events.length - 1].after;
    expect(last).toMatchObject({ rolloutPercent: 30, shadowPercent: 50, releaseDay: true, version: start + 3 });
    expect(storedVersion()).toBe(start + 3);
    expect(control.state()).toMatchObject({ rolloutBp: 3000, shadowBp: 5000, releaseDay: true, version: start + 3 });
  });

  it('through the admin API, sent at the same moment: the same', async () => {
    const start = control.state().version;
    const known = new Set(storedAudit().map((e) => e.id));
    const call = (method: string, p: string, body: unknown) => request(`${url}/admin/api${p}`, {
      method, body: JSON.stringify(body), headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    });
    const replies = await Promise.all([
      call('PATCH', '/flags', { rolloutPercent: 60, reason: 'http: rollout to 60 %' }),
      call('PATCH', '/flags', { killSwitch: true, reason: 'http: kill switch' }),
      call('POST', '/release-day/rollback', { reason: 'http: roll back' }),
    ]);
    expect(replies.map((r) => `${r.status} ${r.status === 200 ? '' : r.text}`.trim())).toEqual(['200', '200', '200']);

    const events = storedAudit().filter((e) => !known.has(e.id));
    expect(events).toHaveLength(3);
    expectChain(events, start);
    expect(events[2].after).toMatchObject({ rolloutPercent: 60, killSwitch: true, releaseDay: false, version: start + 3 });
    const state = await request(`${url}/admin/api/state`, { headers: { Authorization: `Bearer ${token}` } });
    expect(state.json<{ flags: { version: number } }>().flags.version).toBe(start + 3);
  });

  it('the whole trail, from the first change on, is one chain with no version twice', () => {
    const events = storedAudit();
    expect(events.length).toBe(6);
    expectChain(events, 1);
  });
});
