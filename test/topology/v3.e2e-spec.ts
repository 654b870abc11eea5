/**
 * The v3 topology on one machine, with real parts: HAProxy in front of two frontends, the
 * frontends on one PostgreSQL and one memcached, two sandbox hosts behind both (A a sandbox
 * service process, B the sandbox service container with the Docker socket mounted). A bounded
 * load test through the balancer kills sandbox host A and frontend 1 (SIGKILL) midway: the only
 * public requests that fail are ones in flight at a kill, every request sent after the kills is
 * answered, and every answered program's dual run is stored (the dead frontend's shadows are
 * taken over); then a release-day flip on one frontend is obeyed by the other. Loopback only.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import {
  adminAt, buildPrivateDist, compileAt, containers, freshHello, outputOf, Proc, processStackEnv, ProcessStackEnv, PROJECT, run,
  sleep, startFrontendProc, startSandboxProc, stopProc, uniquePrefix, waitFor, waitForHello,
} from '../hardening/support';
import { freePort } from '../support/http';
import { postgresDatabase, TestDatabase } from '../support/database';
import { Postgres, startPostgres } from '../support/postgres';
import { Memcached, startMemcached } from '../support/memcached';
import { LoadBalancer, startHaproxy } from '../support/haproxy';

const PROGRAMS = 36;
const CLIENTS = 4;
const KILL_AFTER = 12;
const POLL_MS = 500;
const TAKEOVER_MS = 3000;

let dist: string;
let env: ProcessStackEnv;
let server: Postgres | undefined;
let db: TestDatabase;
let mc: Memcached;
let lb: LoadBalancer | undefined;
let hostA: Proc | undefined;
let hostB: string | undefined;
let hostBPrefix: string;
const fe: { proc?: Proc; port: number; url: string; env: Record<string, string> }[] = [];

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function startFrontend(i: number): Promise<void> {
  fe[i].proc = await startFrontendProc(dist, { ...env, frontendPort: fe[i].port }, fe[i].env);
}

async function stateOf(i: number) {
  const r = await adminAt(fe[i].url, 'GET', '/admin/api/state', env.tokens.viewer);
  if (r.status !== 200) throw new Error(`state of frontend ${i}: ${r.status}`);
  return r.json<{ flags: { releaseDay: boolean; shadowPercent: number }; shadow: { queued: number; running: number } }>();
}

beforeAll(async () => {
  dist = await buildPrivateDist();
  if (!process.env.TEST_POSTGRES_URL) server = startPostgres();
  db = await postgresDatabase(process.env.TEST_POSTGRES_URL ?? server!.url, 'v3');
  mc = await startMemcached();
  env = await processStackEnv('v3', {
    LEGACY_BACKEND: 'nacl-emulated', SHADOW_QUEUE_SIZE: String(PROGRAMS * 2), BUILD_TIMEOUT_MS: '60000',
    DATABASE_URL: db.setting.url!, DATABASE_PATH: '', CACHE_URL: mc.url, TRUST_PROXY: '1',
    CONTROL_STATE_POLL_MS: String(POLL_MS), SHADOW_TAKEOVER_MS: String(TAKEOVER_MS),
  });
  env.env.TMPDIR = path.join(path.dirname(env.dbPath), 'tmp');
  fs.mkdirSync(env.env.TMPDIR, { mode: 0o755 });
  fs.chmodSync(path.dirname(env.dbPath), 0o711);

  // Sandbox host B: the container, on a port and container prefix of its own.
  const bPort = await freePort();
  hostBPrefix = uniquePrefix('v3-b');
  hostB = `svc_${hostBPrefix}`;
  const bEnv = { ...env.env, SANDBOX_PORT: String(bPort), SANDBOX_OPS_PORT: '0', SANDBOX_CONTAINER_PREFIX: hostBPrefix };
  const containerStarted = run('bash', [path.join(PROJECT, 'scripts', 'sandbox-service-container.sh'), hostB], 120_000, { ...process.env, ...bEnv });
  hostA = await startSandboxProc(dist, env);
  const c = await containerStarted;
  if (c.code !== 0) throw new Error(`the sandbox service container did not start: ${c.stderr}`);

  const sandboxUrls = `http://127.0.0.1:${env.sandboxPort},http://127.0.0.1:${bPort}`;
  for (let i = 0; i < 2; i++) {
    const port = i === 0 ? env.frontendPort : await freePort();
    fe.push({ port, url: `http://127.0.0.1:${port}`, env: { FRONTEND_PORT: String(port), FRONTEND_ID: `frontend-${i + 1}`, SANDBOX_URL: sandboxUrls } });
  }
  await Promise.all([startFrontend(0), startFrontend(1)]);
  for (const f of fe) {
    await waitForHello({ frontendUrl: f.url }, 'linux-amd64', 120_000);
    await waitForHello({ frontendUrl: f.url }, 'nacl', 120_000);
  }
  lb = await startHaproxy(fe.map((f) => f.url));
}, 900_000);

afterAll(async () => {
  await lb?.stop();
  for (const f of fe) await stopProc(f.proc);
  await stopProc(hostA, 30_000);
  if (hostB) await run('docker', ['rm', '-f', hostB]);
  const left = [...(await containers(hostBPrefix ?? 'none')), ...(env ? await containers(env.prefix) : [])].map((x) => x.name);
  if (left.length) await run('docker', ['rm', '-f', ...left]);
  await mc?.stop();
  await db?.drop();
  server?.stop();
  if (env) fs.rmSync(path.dirname(env.dbPath), { recursive: true, force: true });
}, 180_000);

interface Sent { i: number; began: number; ended: number; ok: boolean; why?: string }

describe('the v3 topology: a balancer, two frontends on PostgreSQL, two sandbox hosts', () => {
  it('survives a sandbox host and a frontend killed midway: only requests in flight at a kill fail, no dual run is lost', async () => {
    const r = await adminAt(lb!.url, 'PATCH', '/admin/api/flags', env.tokens.releaseManager, { rolloutPercent: 50, shadowPercent: 100, reason: 'dual-run everything' });
    expect(r.status).toBe(200);
    expect(await waitFor(async () => (await stateOf(0)).flags.shadowPercent === 100 && (await stateOf(1)).flags.shadowPercent === 100, POLL_MS * 6, 50)).toBe(true);

    const programs = Array.from({ length: PROGRAMS }, (_, i) => freshHello(`v3-${i}`));
    const sent: Sent[] = [];
    let next = 0;
    let killedAt = Infinity;
    const clients = Array.from({ length: CLIENTS }, async (_, w) => {
      while (next < programs.length) {
        const i = next++;
        const began = Date.now();
        try {
          const res = await compileAt(lb!.url, programs[i], null, { localAddress: `127.0.0.${w + 2}`, timeoutMs: 120_000 });
          const expected = `hello, hardening ${/"(v3-\d+-[0-9a-f]+)"/.exec(programs[i])?.[1] ?? ''}`;
          const ok = res.status === 200 && outputOf(res).includes(expected.replace('hello, hardening ', ''));
          sent.push({ i, began, ended: Date.now(), ok, ...(ok ? {} : { why: `${res.status} ${res.text.slice(0, 200)}` }) });
        } catch (e) {
          sent.push({ i, began, ended: Date.now(), ok: false, why: (e as Error).message });
        }
      }
    });
    expect(await waitFor(async () => sent.filter((s) => s.ok).length >= KILL_AFTER, 300_000, 50)).toBe(true);
    killedAt = Date.now();
    hostA!.child.kill('SIGKILL');
    fe[0].proc!.child.kill('SIGKILL');
    await Promise.all([hostA!.exited, fe[0].proc!.exited]);
    // A kill is not instant: until the processes are reaped, the kernel still accepts
    // connections for them, and HAProxy cannot send those elsewhere (it got a connection).
    const diedAt = Date.now();
    hostA = undefined;
    await Promise.all(clients);

    const failed = sent.filter((s) => !s.ok);
    const after = sent.filter((s) => s.began > diedAt);
    console.log(`v3: ${sent.length} requests through HAProxy, ${failed.length} failed (${failed.map((f) => f.why).join(' | ')}); ${after.length} sent after the kills`);
    expect(sent).toHaveLength(PROGRAMS);
    // A failure is a request that was in flight while the kills happened: sent before the
    // processes were gone, answered after the kills were sent; at most two per client (one
    // for the frontend, one for the sandbox host).
    expect(failed.filter((s) => !(s.began <= diedAt && s.ended >= killedAt))).toEqual([]);
    expect(failed.length).toBeLessThanOrEqual(CLIENTS * 2);
    expect(after.filter((s) => !s.ok)).toEqual([]);
    expect(after.length).toBeGreaterThan(0);

    // Every answered program's dual run is stored: frontend 1's waiting shadows are taken over
    // by frontend 2 once its claim is stale; none is lost, none stored twice.
    const pending = async () => Number((await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM shadow_jobs WHERE state = 'pending'`))[0].n);
    expect(await waitFor(async () => (await pending()) === 0, 300_000, 500)).toBe(true);
    await waitFor(async () => { const s = (await stateOf(1)).shadow; return s.queued === 0 && s.running === 0; }, 120_000, 500);
    const runs = await db.query<{ program_hash: string; n: string }>('SELECT program_hash, COUNT(*) AS n FROM dual_runs GROUP BY program_hash');
    const count = new Map(runs.map((x) => [x.program_hash, Number(x.n)]));
    const lost = await db.query<{ program_hash: string }>(`SELECT program_hash FROM shadow_jobs WHERE state = 'lost'`);
    const answered = sent.filter((s) => s.ok).map((s) => programs[s.i]);
    expect(answered.filter((p) => !count.has(sha256(p)))).toEqual([]);
    expect(answered.filter((p) => (count.get(sha256(p)) ?? 0) > 1)).toEqual([]);
    expect(lost).toEqual([]);
    console.log(`v3: ${answered.length} answered programs, each with one dual run; 0 lost`);
  }, 900_000);

  it('a release-day flip on one frontend is obeyed by the other, and through the balancer', async () => {
    await startFrontend(0);
    await waitForHello({ frontendUrl: fe[0].url }, 'linux-amd64', 120_000);
    const r = await adminAt(fe[1].url, 'POST', '/admin/api/release-day/flip', env.tokens.releaseManager, { confirm: 'release day', override: true, reason: 'Go 1.14 is out' });
    expect(r.status).toBe(200);
    const began = Date.now();
    expect(await waitFor(async () => (await stateOf(0)).flags.releaseDay, POLL_MS * 4, 20)).toBe(true);
    console.log(`v3: release day flipped on frontend 2, obeyed by frontend 1 after ${Date.now() - began} ms`);
    for (let k = 0; k < 4; k++) {
      const plain = await compileAt(lb!.url, freshHello(`v3-after-${k}`), null);
      expect(plain.status).toBe(200);
      expect(plain.headers['x-playground-backend']).toBe('linux-amd64');
    }
    await sleep(10);
  }, 300_000);
});
