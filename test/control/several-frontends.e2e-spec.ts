/**
 * Several frontends: two frontend processes (the real built app) on one PostgreSQL (Debian's,
 * a throwaway server on loopback) and one memcached, with one sandbox backend behind both.
 * A flag or release-day flip made on one is obeyed by the other within CONTROL_STATE_POLL_MS;
 * a scheduled flip fires once (one audit event); an answer cached by one is served by the
 * other; and when one frontend dies with shadows waiting, the other takes them over: every
 * answered program ends up with exactly one dual run, none lost, none twice.
 *
 * Every address used here is loopback.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import {
  adminAt, buildPrivateDist, compileAt, containers, freshHello, outputOf, Proc, processStackEnv, ProcessStackEnv,
  sleep, startFrontendProc, startSandboxProc, stopProc, waitFor, waitForHello,
} from '../hardening/support';
import { freePort } from '../support/http';
import { postgresDatabase, TestDatabase } from '../support/database';
import { Postgres, startPostgres } from '../support/postgres';
import { Memcached, startMemcached } from '../support/memcached';

const POLL_MS = 500;
const TAKEOVER_MS = 3000;
const PROGRAMS = 24;

let dist: string;
let env: ProcessStackEnv;
let server: Postgres | undefined;
let db: TestDatabase;
let mc: Memcached;
let sandbox: Proc | undefined;
const fe: Record<'a' | 'b', { proc?: Proc; port: number; url: string; env: Record<string, string> }> = {
  a: { port: 0, url: '', env: {} },
  b: { port: 0, url: '', env: {} },
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function startFrontend(name: 'a' | 'b'): Promise<void> {
  fe[name].proc = await startFrontendProc(dist, { ...env, frontendPort: fe[name].port }, fe[name].env);
}

beforeAll(async () => {
  dist = await buildPrivateDist();
  if (!process.env.TEST_POSTGRES_URL) server = startPostgres();
  db = await postgresDatabase(process.env.TEST_POSTGRES_URL ?? server!.url, 'several_frontends');
  mc = await startMemcached();
  env = await processStackEnv('frontends', {
    LEGACY_BACKEND: 'nacl-emulated', SHADOW_QUEUE_SIZE: String(PROGRAMS * 2), BUILD_TIMEOUT_MS: '60000',
    DATABASE_URL: db.setting.url!, DATABASE_PATH: '', CACHE_URL: mc.url,
    CONTROL_STATE_POLL_MS: String(POLL_MS), RELEASE_SCHEDULE_POLL_MS: '300', SHADOW_TAKEOVER_MS: String(TAKEOVER_MS),
  });
  env.env.TMPDIR = path.join(path.dirname(env.dbPath), 'tmp');
  fs.mkdirSync(env.env.TMPDIR, { mode: 0o755 });
  fs.chmodSync(path.dirname(env.dbPath), 0o711);
  fe.a.port = env.frontendPort;
  fe.b.port = await freePort();
  for (const name of ['a', 'b'] as const) {
    fe[name].url = `http://127.0.0.1:${fe[name].port}`;
    fe[name].env = { FRONTEND_PORT: String(fe[name].port), FRONTEND_ID: `frontend-${name}` };
  }
  sandbox = await startSandboxProc(dist, env);
  // Both start at once: the migrations run once, under their lock.
  await Promise.all([startFrontend('a'), startFrontend('b')]);
  for (const name of ['a', 'b'] as const) {
    await waitForHello({ frontendUrl: fe[name].url }, 'linux-amd64', 120_000);
    await waitForHello({ frontendUrl: fe[name].url }, 'nacl', 120_000);
  }
}, 600_000);

afterAll(async () => {
  await stopProc(fe.a.proc);
  await stopProc(fe.b.proc);
  await stopProc(sandbox, 30_000);
  await mc?.stop();
  await db?.drop();
  server?.stop();
  if (env) {
    fs.rmSync(path.dirname(env.dbPath), { recursive: true, force: true });
    expect(await waitFor(async () => (await containers(env.prefix)).length === 0, 30_000)).toBe(true);
  }
}, 180_000);

const admin = (name: 'a' | 'b', method: string, p: string, body?: unknown) => adminAt(fe[name].url, method, p, env.tokens.releaseManager, body);

async function stateOf(name: 'a' | 'b') {
  const r = await adminAt(fe[name].url, 'GET', '/admin/api/state', env.tokens.viewer);
  if (r.status !== 200) throw new Error(`GET /admin/api/state on ${name}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json<{ flags: { rolloutPercent: number; shadowPercent: number; releaseDay: boolean; version: number }; shadow: { queued: number; running: number; recovered: number; lost: number } }>();
}

/** Milliseconds from now until `check` holds (polled every 20 ms), or Infinity past `limit`. */
async function msUntil(check: () => Promise<boolean>, limit: number): Promise<number> {
  const began = Date.now();
  while (Date.now() - began <= limit) {
    if (await check()) return Date.now() - began;
    await sleep(20);
  }
  return Infinity;
}

describe('two frontends on one PostgreSQL and one memcached', () => {
  it('serve an answer cached by one from the other, exactly as it was', async () => {
    // Random output: a second run could not print the same number, only the cache can.
    const src = `package main\n\nimport (\n\t"crypto/rand"\n\t"fmt"\n)\n\nfunc main() {\n\tb := make([]byte, 16)\n\trand.Read(b)\n\tfmt.Printf("%x\\n", b)\n}\n// ${Date.now()}\n`;
    const first = await compileAt(fe.a.url, src);
    expect(first.status).toBe(200);
    expect(outputOf(first)).toMatch(/^[0-9a-f]{32}\n$/);
    let second = await compileAt(fe.b.url, src);
    for (let i = 0; i < 20 && second.text !== first.text; i++) second = await compileAt(fe.b.url, src); // the write is sent behind the answer
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
  });

  it('a flag flip on one is obeyed by the other within the poll interval', async () => {
    const before = (await stateOf('b')).flags.version;
    const r = await admin('a', 'PATCH', '/admin/api/flags', { rolloutPercent: 100, reason: 'everyone on linux-amd64' });
    expect(r.status).toBe(200);
    const took = await msUntil(async () => (await stateOf('b')).flags.rolloutPercent === 100, POLL_MS * 4);
    expect(took).toBeLessThanOrEqual(POLL_MS * 2);
    expect((await stateOf('b')).flags.version).toBe(before + 1);
    // And routes by it: a program with no opt-in now runs on linux-amd64 on the other one.
    const routed = await compileAt(fe.b.url, freshHello('rollout'), null);
    expect(routed.status).toBe(200);
    expect(routed.headers['x-playground-backend']).toBe('linux-amd64');
    console.log(`several frontends: a flag flip on a was obeyed by b after ${took} ms (bound ${POLL_MS} ms poll)`);
  });

  it('loses no shadow when one frontend dies: the other takes them over, each stored once', async () => {
    expect((await admin('b', 'PATCH', '/admin/api/flags', { rolloutPercent: 0, shadowPercent: 100, reason: 'shadow everything' })).status).toBe(200);
    await waitFor(async () => (await stateOf('a')).flags.shadowPercent === 100, POLL_MS * 4, 50);
    const programs = Array.from({ length: PROGRAMS }, (_, i) => freshHello(`frontends-${i}`));
    const answered: string[] = [];
    let next = 0;
    let killed = false;
    const senders = ['a', 'a', 'b', 'b'].map(async (name, w) => {
      while (next < programs.length) {
        if (killed && name === 'a') return;
        const i = next++;
        try {
          const r = await compileAt(fe[name as 'a' | 'b'].url, programs[i], i % 2 ? 'nacl' : 'linux-amd64', { localAddress: `127.0.0.${w + 1}`, timeoutMs: 60_000 });
          if (r.status === 200) answered.push(programs[i]);
        } catch {
          if (name === 'a') return; // a is gone
          throw new Error('frontend b failed a request');
        }
      }
    });
    const ready = await waitFor(async () => answered.length >= 8 && (await stateOf('a')).shadow.queued >= 3, 180_000, 100);
    expect(ready).toBe(true);
    const waitingOnA = Number((await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM shadow_jobs WHERE state = 'pending' AND owner = 'frontend-a'`))[0].n);
    fe.a.proc!.child.kill('SIGKILL');
    killed = true;
    await fe.a.proc!.exited;
    await Promise.all(senders);
    expect(waitingOnA).toBeGreaterThanOrEqual(3);

    // b takes a's shadows over once a's claim is TAKEOVER_MS old, and runs them.
    const drained = await waitFor(async () => Number((await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM shadow_jobs WHERE state = 'pending'`))[0].n) === 0, 300_000, 500);
    expect(drained).toBe(true);
    await waitFor(async () => { const s = (await stateOf('b')).shadow; return s.queued === 0 && s.running === 0; }, 120_000, 500);
    const runs = await db.query<{ program_hash: string; n: string }>('SELECT program_hash, COUNT(*) AS n FROM dual_runs GROUP BY program_hash');
    const count = new Map(runs.map((r) => [r.program_hash, Number(r.n)]));
    const lost = await db.query<{ program_hash: string; lost_reason: string }>(`SELECT program_hash, lost_reason FROM shadow_jobs WHERE state = 'lost'`);
    const missing = answered.filter((p) => !count.has(sha256(p)) && !lost.some((l) => l.program_hash === sha256(p)));
    expect(missing).toEqual([]);
    expect(answered.filter((p) => (count.get(sha256(p)) ?? 0) > 1)).toEqual([]);
    expect((await stateOf('b')).shadow.recovered).toBeGreaterThanOrEqual(waitingOnA - lost.length);
    console.log(`several frontends: a killed with ${waitingOnA} shadows waiting; of ${answered.length} answered programs ${answered.length - missing.length - lost.length} have one dual run each, ${lost.length} lost with a reason`);

    await startFrontend('a');
    await waitForHello({ frontendUrl: fe.a.url }, 'linux-amd64', 120_000);
  }, 600_000);

  it('a release-day flip on one is obeyed by the other within the poll interval', async () => {
    const r = await admin('a', 'POST', '/admin/api/release-day/flip', { confirm: 'release day', override: true, reason: 'Go 1.14 is out' });
    expect(r.status).toBe(200);
    const took = await msUntil(async () => (await stateOf('b')).flags.releaseDay, POLL_MS * 4);
    expect(took).toBeLessThanOrEqual(POLL_MS * 2);
    const nacl = await compileAt(fe.b.url, freshHello('after release day'), 'nacl');
    expect(nacl.status).toBe(410);
    const plain = await compileAt(fe.b.url, freshHello('after release day, plain'), null);
    expect(plain.headers['x-playground-backend']).toBe('linux-amd64');
    console.log(`several frontends: a release-day flip on a was obeyed by b after ${took} ms`);
  });

  it('a scheduled flip fires exactly once across frontends, with one audit event', async () => {
    expect((await admin('b', 'POST', '/admin/api/release-day/rollback', { reason: 'not yet' })).status).toBe(200);
    await waitFor(async () => !(await stateOf('a')).flags.releaseDay, POLL_MS * 4, 50);
    const at = new Date(Date.now() + 2000).toISOString();
    expect((await admin('b', 'POST', '/admin/api/release-day/schedule', { at, override: true, reason: 'at the release' })).status).toBe(200);
    const flipped = await waitFor(async () => (await stateOf('a')).flags.releaseDay && (await stateOf('b')).flags.releaseDay, 15_000, 100);
    expect(flipped).toBe(true);
    await sleep(1000); // both schedulers have looked again meanwhile
    const events = await db.query<{ actor: string }>(`SELECT actor FROM audit_events WHERE action = 'release-day: flip (scheduled)'`);
    expect(events).toEqual([{ actor: 'scheduler (for alice)' }]);
    const [{ a, b }] = [{ a: (await stateOf('a')).flags.version, b: (await stateOf('b')).flags.version }];
    expect(a).toBe(b);
  });

  it('the admin views read PostgreSQL: time windows, hourly classes, the audit log', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const stats = await adminAt(fe.a.url, 'GET', '/admin/api/stats?hours=1', env.tokens.viewer);
    expect(stats.status).toBe(200);
    const classes = stats.json<{ dualRunClasses: Array<{ at: string; count: number }> }>().dualRunClasses;
    expect(classes.reduce((n, c) => n + c.count, 0)).toBeGreaterThanOrEqual(8);
    expect(classes[0].at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00\.000Z$/);
    const runs = await adminAt(fe.b.url, 'GET', `/admin/api/dual-runs?from=${encodeURIComponent(hourAgo)}`, env.tokens.viewer);
    expect(runs.status).toBe(200);
    expect(runs.json<{ total: number }>().total).toBeGreaterThanOrEqual(8);
    const audit = await adminAt(fe.b.url, 'GET', `/admin/api/audit?from=${encodeURIComponent(hourAgo)}`, env.tokens.viewer);
    expect(audit.status).toBe(200);
    expect(audit.json<{ total: number }>().total).toBeGreaterThanOrEqual(6);
  });
});
