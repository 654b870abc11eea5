/**
 * An accepted shadow survives a crash. The service runs as two node processes (sandbox backend
 * and frontend, as `npm start` runs them), built privately from the current source; shadows
 * at 100 %, a burst of 40 distinct programs from 4 clients at once (shadows wait for gaps
 * between public requests, so they pile up), and the frontend is killed with SIGKILL in the
 * middle of it. Started again on the same database, it must run every shadow it had accepted:
 * each program that was answered ends up with a dual run, or is counted as lost with a reason;
 * none vanishes.
 *
 * Every address used here is loopback.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Database from 'better-sqlite3';
import {
  adminAt, buildPrivateDist, compileAt, containers, freshHello, Proc, processStackEnv, ProcessStackEnv,
  sleep, startFrontendProc, startSandboxProc, stopProc, waitFor, waitForHello,
} from '../hardening/support';

const PROGRAMS = 40;
const SENDERS = 4;

let dist: string;
let env: ProcessStackEnv;
let sandbox: Proc | undefined;
let frontend: Proc | undefined;
let url: string;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

beforeAll(async () => {
  dist = await buildPrivateDist();
  // A queue big enough for the whole burst: every answered program's shadow is accepted.
  env = await processStackEnv('shadowcrash', { LEGACY_BACKEND: 'nacl-emulated', SHADOW_QUEUE_SIZE: String(PROGRAMS * 2), BUILD_TIMEOUT_MS: '60000' });
  url = `http://127.0.0.1:${env.frontendPort}`;
  // The killed frontend cannot remove the build directories of the builds it was running: give
  // the processes a temp dir of this spec's own, removed with the database after the test.
  env.env.TMPDIR = path.join(path.dirname(env.dbPath), 'tmp');
  fs.mkdirSync(env.env.TMPDIR, { mode: 0o755 });
  // The build sandbox's user (not root) must reach its build directories in there: the spec's
  // directory (mkdtemp, 0700) becomes passable, not listable.
  fs.chmodSync(path.dirname(env.dbPath), 0o711);
  sandbox = await startSandboxProc(dist, env);
  frontend = await startFrontendProc(dist, env);
  await waitForHello({ frontendUrl: url }, 'linux-amd64', 120_000);
  await waitForHello({ frontendUrl: url }, 'nacl', 120_000);
}, 420_000);

afterAll(async () => {
  await stopProc(frontend);
  await stopProc(sandbox, 30_000);
  if (env) {
    fs.rmSync(path.dirname(env.dbPath), { recursive: true, force: true });
    expect(await waitFor(async () => (await containers(env.prefix)).length === 0, 30_000)).toBe(true);
  }
}, 180_000);

interface ShadowState { queued: number; running?: number; accepted: number; recovered?: number; lost?: number }

async function shadowState(): Promise<ShadowState> {
  const r = await adminAt(url, 'GET', '/admin/api/state', env.tokens.viewer);
  if (r.status !== 200) throw new Error(`GET /admin/api/state answered ${r.status}: ${r.text.slice(0, 300)}`);
  return r.json<{ shadow: ShadowState }>().shadow;
}

/** Reads the database file the frontend writes (WAL: a reader does not disturb it). */
function query<T>(sql: string): T[] {
  const db = new Database(env.dbPath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

const hasTable = (name: string) => query<{ n: number }>(`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '${name}'`)[0].n === 1;
const pendingShadows = () => (hasTable('shadow_jobs') ? query<{ n: number }>(`SELECT COUNT(*) AS n FROM shadow_jobs WHERE state = 'pending'`)[0].n : 0);

describe('the frontend killed with SIGKILL while shadows wait', () => {
  it('runs every accepted shadow after the restart, or counts it as lost: none vanishes', async () => {
    const flags = await adminAt(url, 'PATCH', '/admin/api/flags', env.tokens.releaseManager, { shadowPercent: 100, reason: 'shadow crash test: shadow every request' });
    expect(flags.status).toBe(200);

    const programs = Array.from({ length: PROGRAMS }, (_, i) => freshHello(`crash-${i}`));
    const answered: string[] = [];
    let next = 0;
    let killed = false;
    const began = Date.now();
    const senders = Array.from({ length: SENDERS }, async (_, w) => {
      while (!killed && next < programs.length) {
        const i = next++;
        try {
          // Four clients (source addresses), half of the programs on each backend.
          const r = await compileAt(url, programs[i], i % 2 ? 'nacl' : 'linux-amd64', { localAddress: `127.0.0.${w + 1}`, timeoutMs: 60_000 });
          if (r.status === 200) answered.push(programs[i]);
        } catch {
          return; // the frontend is gone
        }
      }
    });

    // Kill once a good part is answered and shadows are waiting: what a crash would lose.
    const ready = await waitFor(async () => answered.length >= 12 && (await shadowState()).queued >= 4, 180_000, 100);
    const atKill = { answered: answered.length, pending: pendingShadows(), ms: Date.now() - began };
    frontend!.child.kill('SIGKILL');
    killed = true;
    await frontend!.exited;
    await Promise.all(senders);
    expect(ready).toBe(true);
    const answeredAtKill = [...answered];
    // A shadow is stored before its answer is sent: at the kill, every answered program had its
    // shadow waiting in the database or already stored as a dual run.
    const storedAtKill = new Set([
      ...(hasTable('shadow_jobs') ? query<{ program_hash: string }>('SELECT program_hash FROM shadow_jobs') : []),
      ...query<{ program_hash: string }>('SELECT program_hash FROM dual_runs'),
    ].map((r) => r.program_hash));

    frontend = await startFrontendProc(dist, env);
    const drained = await waitFor(async () => {
      const s = await shadowState();
      return s.queued === 0 && (s.running ?? 0) === 0;
    }, 300_000, 500);
    expect(drained).toBe(true);
    const after = await shadowState();

    const recorded = new Set(query<{ program_hash: string }>('SELECT DISTINCT program_hash FROM dual_runs').map((r) => r.program_hash));
    const missing = answeredAtKill.filter((p) => !recorded.has(sha256(p)));
    // What is not recorded is counted as lost, where the admin UI shows it.
    expect(missing.length).toBeLessThanOrEqual(after.lost ?? 0);
    const lost = new Map(query<{ program_hash: string; lost_reason: string }>(`SELECT program_hash, lost_reason FROM shadow_jobs WHERE state = 'lost'`).map((r) => [r.program_hash, r.lost_reason]));
    expect(missing.filter((p) => !lost.has(sha256(p)))).toEqual([]);
    for (const reason of lost.values()) expect(reason).toMatch(/\w/);
    expect(pendingShadows()).toBe(0);
    expect(answeredAtKill.filter((p) => !storedAtKill.has(sha256(p)))).toEqual([]);
    // The crash did interrupt waiting shadows, and the new frontend took them over.
    expect(atKill.pending).toBeGreaterThanOrEqual(4);
    expect(after.recovered).toBeGreaterThanOrEqual(atKill.pending - lost.size);

    // eslint-disable-next-line no-console
    console.log(`shadow crash: SIGKILL after ${atKill.ms} ms with ${atKill.answered} of ${PROGRAMS} programs answered and ${atKill.pending} shadows waiting; ` +
      `after the restart ${after.recovered} shadows were taken over; of the ${answeredAtKill.length} answered programs ${answeredAtKill.length - missing.length} have a dual run, ` +
      `${missing.length} are counted lost (lost in all: ${lost.size}${lost.size ? `: ${[...new Set(lost.values())].join('; ')}` : ''})`);
  }, 600_000);
});
