/**
 * Readiness cannot be bought by one client: end to end through the public /compile (real
 * sandbox with gVisor and the labelled runc emulation, real Go builds, real SQLite), from two
 * loopback source addresses (127.0.0.1 and 127.0.0.2 are two clients of this machine).
 *
 * Small thresholds so that a handful of programs decide: 3 distinct programs needed, at most 2
 * per client, and a 60 % bound (0 mismatches in 3 programs has a 95 % upper bound of 56 %).
 */
import { createHash, randomBytes } from 'crypto';
import * as path from 'path';
import Database from 'better-sqlite3';
import type { Stack } from '../support/stack';
import { startFrontendStack } from '../support/stack';
import { request, sleep, type Reply } from '../support/http';
import type { Readiness } from '../../src/frontend/release/readiness';

const LINUX_AMD64 = 'linux-amd64';
const LEGACY = 'nacl-emulated';
let stack: Stack;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hello = (tag: string) => `package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("evidence", ${JSON.stringify(`${tag}-${randomBytes(4).toString('hex')}`)}) }\n`;

beforeAll(async () => {
  stack = await startFrontendStack({
    LEGACY_BACKEND: LEGACY,
    BUILD_TIMEOUT_MS: '60000',
    READINESS_MIN_RUNS: '3',
    READINESS_MIN_PER_KIND: '0',
    READINESS_MAX_PROGRAMS_PER_CLIENT: '2',
    READINESS_MAX_MISMATCH_RATE: '60',
  });
  const flags = await admin('PATCH', '/flags', { shadowPercent: 100, reason: 'evidence test: shadow every request' });
  expect(flags.status).toBe(200);
  await waitFor('the legacy emulation', 90_000, async () => {
    const st = (await admin('GET', '/state')).json<{ backends: Array<{ id: string; available: boolean }> }>();
    return st.backends.find((b) => b.id === LEGACY)?.available || undefined;
  });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

function admin(method: string, p: string, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = { Authorization: `Bearer ${stack.tokens.releaseManager}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return request(`${stack.frontendUrl}/admin/api${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

/** Runs a program on linux-amd64 from the given source address; its shadow runs on the emulation. */
async function compileFrom(localAddress: string, source: string): Promise<void> {
  const r = await request(`${stack.frontendUrl}/compile`, {
    method: 'POST', localAddress,
    headers: { 'Content-Type': 'application/json', 'X-Playground-Backend': LINUX_AMD64 },
    body: JSON.stringify({ Body: source }),
  });
  expect(`${r.status} ${r.text.slice(0, 200)}`).toMatch(/^200 .*evidence/);
}

interface ListedRun { id: number; programHash: string; clientKey: string; diffClass: string }

async function dualRuns(): Promise<ListedRun[]> {
  return (await admin('GET', '/dual-runs?pageSize=500')).json<{ items: ListedRun[] }>().items;
}

/** Waits until `n` dual runs of the program are stored. */
async function waitForRuns(source: string, n: number): Promise<ListedRun[]> {
  const hash = sha256(source);
  return waitFor(`${n} dual run(s) of ${hash.slice(0, 12)}`, 180_000, async () => {
    const runs = (await dualRuns()).filter((d) => d.programHash === hash);
    return runs.length >= n ? runs : undefined;
  });
}

async function readiness(): Promise<Readiness> {
  const r = await admin('GET', '/release-day/readiness');
  expect(r.status).toBe(200);
  return r.json<Readiness>();
}

const criterion = (r: Readiness, name: string) => r.criteria.find((c) => c.name === name);

const A = hello('a');
const [B, C] = [hello('b'), hello('c')];
const D = hello('d');

describe('readiness evidence', () => {
  it('one client replaying one matching program is one program, however many dual runs it makes', async () => {
    for (let i = 0; i < 4; i++) await compileFrom('127.0.0.1', A);
    const runs = await waitForRuns(A, 4);
    expect(new Set(runs.map((r) => r.clientKey)).size).toBe(1);
    const r = await readiness();
    // Counting rows, 4 dual runs were "evidence" enough (3 needed).
    expect(criterion(r, 'evidence')).toMatchObject({ met: false });
    expect(criterion(r, 'evidence')!.detail).toMatch(/^1 distinct program counted from 1 client \(4 dual runs; at most 2 per client\)/);
    expect(r.ready).toBe(false);
    expect(r.runs).toBe(4);
    expect(r.programs).toBe(1);
    expect(r.clients).toBe(1);
    expect(r.programsByClass[runs[0].diffClass]).toBe(1);
    expect(r.runsByClass[runs[0].diffClass]).toBe(4);
  }, 600_000);

  it('one client sending many programs adds at most its share (2)', async () => {
    await compileFrom('127.0.0.1', B);
    await compileFrom('127.0.0.1', C);
    await waitForRuns(B, 1);
    await waitForRuns(C, 1);
    const r = await readiness();
    expect(r).toMatchObject({ programs: 2, cappedPrograms: 1, clients: 1, perClientCap: 2, ready: false });
  }, 600_000);

  it('a second client brings the evidence; every dual run carries a keyed client hash, never the address', async () => {
    await compileFrom('127.0.0.2', D);
    const [d] = await waitForRuns(D, 1);
    const r = await readiness();
    expect(r).toMatchObject({ programs: 3, clients: 2, mismatches: 0 });
    expect(r.missing).toEqual([]);
    expect(r.ready).toBe(true);

    const keys = new Set((await dualRuns()).map((x) => x.clientKey));
    expect(keys.size).toBe(2);
    for (const k of keys) expect(k).toMatch(/^[0-9a-f]{32}$/);
    const [a] = await waitForRuns(A, 1);
    expect(d.clientKey).not.toBe(a.clientKey);
    const detail = (await admin('GET', `/dual-runs/${d.id}`)).json<Record<string, unknown>>();
    expect(JSON.stringify(detail)).not.toMatch(/127\.0\.0\.[12]/);
  }, 600_000);

  it('sandbox failures forced by one client do not block release day; the same from a second client do', async () => {
    // What a forced sandbox failure stores (a backend-error pair whose linux-amd64 side failed),
    // written into the service's own database for clients this machine cannot impersonate.
    const db = new Database(path.join(stack.dataDir, 'playground.sqlite'), { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const force = (client: string, n: number) => {
      const ran = JSON.stringify({ kind: 'ran', errors: '', events: [], status: 0, isTest: false, testsFailed: 0 });
      const failed = JSON.stringify({ kind: 'backend-error', errors: 'sandbox unavailable: result line too large', events: [], status: 0, isTest: false, testsFailed: 0 });
      const row: Record<string, string | number> = {
        at: new Date().toISOString().replace('T', ' ').replace('Z', ''), program: 'package main', program_kind: 'plain', with_vet: 0,
        route_reason: 'forced', primary_backend: LEGACY, primary_toolchain: 'go', shadow_backend: LINUX_AMD64, shadow_toolchain: 'go',
        primary_result: ran, shadow_result: failed, diff_class: 'backend-error', matched_rules: '[]', diff: '', primary_ms: 1, shadow_ms: 1,
        client_key: client, failed_side: 'new',
      };
      // Only the columns this schema has: the spec was also run against the one before client keys.
      const columns = new Set((db.prepare(`SELECT name FROM pragma_table_info('dual_runs')`).all() as Array<{ name: string }>).map((c) => c.name));
      const names = ['program_hash', ...Object.keys(row).filter((c) => columns.has(c))];
      const insert = db.prepare(`INSERT INTO dual_runs (${names.join(', ')}) VALUES (${names.map((c) => `@${c}`).join(', ')})`);
      for (let i = 0; i < n; i++) insert.run({ ...Object.fromEntries(names.slice(1).map((c) => [c, row[c]])), program_hash: sha256(`${client}-${i}`) });
    };
    try {
      force(randomBytes(16).toString('hex'), 5);
      const one = await readiness();
      // Counted as failing runs, these five made the mismatch bound unreachable.
      expect(one.missing).toEqual([]);
      expect(one).toMatchObject({ programs: 3, mismatches: 0, ready: true });
      expect(one.newBackendFailures).toEqual({ programs: 5, clients: 1, tolerated: 1 });
      expect(criterion(one, 'new backend failures')).toMatchObject({ met: true });

      force(randomBytes(16).toString('hex'), 1);
      const two = await readiness();
      expect(two.newBackendFailures).toMatchObject({ programs: 6, clients: 2 });
      expect(two.ready).toBe(false);
      expect(two.missing.join('\n')).toMatch(/^new backend failures: the new backend failed for 6 programs from 2 clients/m);
    } finally {
      db.close();
    }
  });
});
