/**
 * Faults, against the service running as two node processes (sandbox backend and frontend, as
 * `npm start` runs them), built privately from the current source:
 *
 * 1. malformed input fuzzed at the public API (seeded, reproducible): never a 500, no crash;
 * 2. the sandbox backend killed: health says so, routing refuses with the control plane's 503,
 *    and everything recovers when the sandbox is started again;
 * 3. dockerd restarted in the middle of a load: in-flight runs fail with a clear 503, and the
 *    service recovers by itself once Docker is back (no restart of the service);
 * 4. the frontend killed with SIGKILL while dual runs are being written: the SQLite database
 *    passes integrity_check, every dual run seen before the kill is still there, none is
 *    half-written, and the frontend starts again on it.
 *
 * dockerd is this machine's shared daemon: restarting it also stops other people's containers.
 * It is restarted exactly as scripts/docker-daemon.sh starts it, and afterAll makes sure it
 * runs whatever happened. Every address used here is loopback.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import Database from 'better-sqlite3';
import {
  adminAt, buildPrivateDist, compileAt, containers, freshHello, onlyWarmContainers, outputOf, PROJECT, Proc,
  processStackEnv, ProcessStackEnv, Reply, requestFrom, run, sleep, startFrontendProc, startSandboxProc, stopProc,
  waitFor, waitForHello,
} from './support';

const POOL_SIZE = 2;
let dist: string;
let env: ProcessStackEnv;
let sandbox: Proc | undefined;
let frontend: Proc | undefined;
let url: string;
/** Figures for docs/reliability.md, printed at the end. */
const figures: string[] = [];

async function dockerUp(): Promise<boolean> {
  return (await run('docker', ['info', '--format', '{{.ServerVersion}}'], 20_000)).code === 0;
}

/** Starts dockerd the way the project's set-up does, in a session of its own (setsid). */
async function startDockerd(): Promise<void> {
  const script = spawn('bash', [path.join(PROJECT, 'scripts', 'docker-daemon.sh')], { cwd: PROJECT, detached: true, stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => script.on('exit', resolve));
  if (code !== 0) throw new Error(`scripts/docker-daemon.sh exited with ${code}`);
}

beforeAll(async () => {
  dist = await buildPrivateDist();
  env = await processStackEnv('faults', { LEGACY_BACKEND: 'nacl-emulated', SANDBOX_POOL_SIZE: String(POOL_SIZE) });
  url = `http://127.0.0.1:${env.frontendPort}`;
  sandbox = await startSandboxProc(dist, env);
  frontend = await startFrontendProc(dist, env);
  await waitForHello({ frontendUrl: url }, 'linux-amd64', 120_000);
  await waitForHello({ frontendUrl: url }, 'nacl', 120_000);
}, 420_000);

afterAll(async () => {
  // Whatever happened above, leave Docker running for everybody else.
  if (!(await dockerUp())) await startDockerd().catch((e: Error) => console.error(`could not restart dockerd: ${e.message}`));
  await stopProc(frontend);
  await stopProc(sandbox, 30_000);
  // eslint-disable-next-line no-console
  console.log(`faults, observed:\n  ${figures.join('\n  ')}`);
  if (env) {
    fs.rmSync(path.dirname(env.dbPath), { recursive: true, force: true });
    expect(await waitFor(async () => (await containers(env.prefix)).length === 0, 30_000)).toBe(true);
  }
}, 180_000);

function alive(p: Proc | undefined): boolean {
  return p !== undefined && p.child.exitCode === null && p.child.signalCode === null;
}

// ---- 1. fuzzing ----------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG, so that every case can be replayed from the seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface FuzzCase {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

const HELLO_SRC = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("fuzz") }\n';

function makeCases(seed: number, n: number): FuzzCase[] {
  const r = prng(seed);
  const int = (max: number): number => Math.floor(r() * max);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const bytes = (len: number): Buffer => Buffer.from(Array.from({ length: len }, () => int(256)));
  const ascii = (len: number): string => Array.from({ length: len }, () => String.fromCharCode(32 + int(95))).join('');
  const unicode = (len: number): string => Array.from({ length: len }, () => pick(['a', 'é', '世', '\u0000', '\u202e', '😀', '\ufffd', '\n', '"', '\\', '%', '&', '=', '+', '\ud800'])).join('');
  const mutate = (s: string): string => {
    const a = s.split('');
    for (let k = 0; k < 1 + int(4); k++) {
      const i = int(a.length);
      const op = int(3);
      if (op === 0) a.splice(i, 1);
      else if (op === 1) a.splice(i, 0, pick(['{', '}', '(', ')', '"', '`', '\n', 'x', '0', ';', '\u0000']));
      else a[i] = pick(['{', '}', '"', 'z', ' ']);
    }
    return a.join('');
  };
  const randomJson = (depth: number): unknown => {
    const k = int(depth > 3 ? 4 : 7);
    switch (k) {
      case 0: return r() * 1e12 - 5e11;
      case 1: return unicode(int(40));
      case 2: return pick([true, false, null]);
      case 3: return int(2) ? HELLO_SRC : mutate(HELLO_SRC);
      case 4: return Array.from({ length: int(5) }, () => randomJson(depth + 1));
      default: {
        const o: Record<string, unknown> = {};
        for (let i = 0; i < int(5); i++) o[pick(['Body', 'WithVet', 'body', 'version', '__proto__', 'constructor', ascii(int(10))])] = randomJson(depth + 1);
        return o;
      }
    }
  };
  const paths = ['/compile', '/compile', '/compile', '/vet', '/fmt', '/fmt', '/share', '/p/N_M_YelfGeR', '/p/N_M_YelfGeR.go?download=true',
    '/p/%ZZ', '/p/' + 'a'.repeat(300), '/p/..%2f..%2fetc%2fpasswd', '/version', '/_ah/health', '/doc/play/hello.txt', '/doc/play/..%2F..%2Fpackage.json',
    '/static/play.js', '/static/..%2f..%2f..%2fpackage.json', '/static/%00', '/', '/admin', '/admin/api/state', '/admin/api/%ff', '/metrics', '/compile?x=%E0%A4%A',
    '/nonexistent', '//compile', '/compile/', '/COMPILE', '/compile;x', '/compile%00'];
  const types = ['application/x-www-form-urlencoded', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'multipart/form-data; boundary=xyz',
    'application/octet-stream', '', 'application/x-www-form-urlencoded; charset=latin1', 'application/json, text/plain', ascii(20)];
  const methods = ['POST', 'POST', 'POST', 'GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND'];
  const cases: FuzzCase[] = [];
  for (let i = 0; i < n; i++) {
    const headers: Record<string, string> = {};
    const type = pick(types);
    if (type) headers['Content-Type'] = type;
    if (int(4) === 0) headers['X-Playground-Backend'] = pick(['linux-amd64', 'nacl', 'NACL', '', 'windows-arm64', ascii(30), 'linux-amd64, nacl']);
    if (int(6) === 0) headers.Origin = pick(['https://evil.example', 'null', ascii(10)]);
    if (int(8) === 0) headers['X-Forwarded-For'] = pick(['1.2.3.4', ascii(20), '::1, 10.0.0.1']);
    if (int(8) === 0) headers.Authorization = pick(['Bearer ', 'Bearer ' + ascii(40), 'Basic Zm9vOmJhcg==', ascii(60)]);
    if (int(10) === 0) headers['Accept-Encoding'] = pick(['gzip', 'br', '*', ascii(10)]);
    if (int(12) === 0) headers[`X-${ascii(5).replace(/[^A-Za-z]/g, 'a')}`] = ascii(int(2000));
    let body: Buffer | undefined;
    switch (int(9)) {
      case 0: body = bytes(int(4096)); break;
      case 1: body = Buffer.from(JSON.stringify(randomJson(0)) ?? 'null'); break;
      case 2: body = Buffer.from(new URLSearchParams({ version: pick(['2', '1', 'x']), body: int(2) ? mutate(HELLO_SRC) : unicode(int(200)), withVet: pick(['true', 'false', '1', '']) }).toString()); break;
      case 3: body = Buffer.from(`version=2&body=${pick(['%', '%Z', '%E0%A4', '%FF%FE', '%00', '+'.repeat(50), 'a&body=b&body=c', ''])}&${ascii(int(50))}`); break;
      case 4: body = Buffer.alloc(128 * 1024 + 1 + int(512 * 1024), pick(['a', '%', '{', '\u0000'])); break; // over COMPILE_MAX_BODY_BYTES
      case 5: body = Buffer.from(pick(['[', '{', '"', '{"Body":', '{"Body": "\\ud800"}', '{"Body": "' + HELLO_SRC.replace(/\n/g, '\\n') + '"} trailing'])); break;
      case 6: body = Buffer.from('['.repeat(20_000) + ']'.repeat(20_000)); break; // deep nesting
      case 7: body = undefined; break;
      default: body = Buffer.from(unicode(int(500)));
    }
    // Most cases aim at the public POST routes, where bodies are parsed; the rest go anywhere.
    const aimed = r() < 0.65;
    cases.push({ method: aimed ? 'POST' : pick(methods), path: aimed ? pick(['/compile', '/compile', '/vet', '/fmt', '/share']) : pick(paths), headers, body });
  }
  return cases;
}

/** Raw requests a well-behaved client library would never send. */
const RAW_CASES: string[] = [
  'GARBAGE\r\n\r\n',
  'POST /compile HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
  'POST /compile HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello',
  'POST /compile HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n',
  'POST /compile HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n',
  'POST /compile HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{"B\r\n0\r\n\r\n',
  'GET /' + 'a'.repeat(20_000) + ' HTTP/1.1\r\nHost: x\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\n' + 'X-A: b\r\n'.repeat(3000) + '\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\rb\r\n\r\n',
  'GET / HTTP/9.9\r\nHost: x\r\n\r\n',
  'GET /compile\r\n\r\n',
  'POST /compile HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nversion=2&body=pack',
  'POST /share HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n\r\nabc',
  'POST /compile HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
  '\x00\x01\x02\x03\r\n\r\n',
  'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
  'GET /version HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\nGET /version HTTP/1.1\r\nHost: x\r\n\r\n',
  'POST /admin/api/flags HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
];

/** Sends raw bytes; returns every status line the server answered (none when it only closed). */
function rawRequest(port: number, data: string): Promise<number[]> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let got = '';
    const done = (): void => {
      socket.destroy();
      resolve([...got.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1])));
    };
    socket.setTimeout(3000, done);
    socket.on('data', (c: Buffer) => { got += c.toString('latin1'); });
    socket.on('close', done);
    socket.on('error', done);
    socket.write(Buffer.from(data, 'latin1'));
  });
}

describe('malformed input fuzzed at the public API', () => {
  it('never gets a 500 and never takes the frontend down', async () => {
    const seed = Number(process.env.HARDENING_FUZZ_SEED ?? 20261129);
    const cases = makeCases(seed, 360);
    const statuses = new Map<number, number>();
    const bad: string[] = [];
    const describeCase = (i: number, c: FuzzCase): string => `seed ${seed} case #${i}: ${c.method} ${c.path.slice(0, 80)} ${JSON.stringify(c.headers).slice(0, 200)} body ${c.body ? `${c.body.length} bytes ${JSON.stringify(c.body.subarray(0, 60).toString('latin1'))}` : 'none'}`;
    const began = Date.now();
    for (let i = 0; i < cases.length; i += 6) {
      await Promise.all(cases.slice(i, i + 6).map(async (c, k) => {
        let status = 0;
        try {
          const r = await requestFrom(`${url}${c.path}`, { method: c.method, headers: c.headers, body: c.body, timeoutMs: 60_000 });
          status = r.status;
          if (status >= 500 && !(status === 503 && r.text.length > 0)) bad.push(`${describeCase(i + k, c)} -> ${status} ${r.text.slice(0, 200)}`);
        } catch (e) {
          // The server may refuse a body it will not read by closing early; that is not a crash.
          status = -1;
          if (!/ECONNRESET|EPIPE|socket hang up/.test((e as Error).message)) bad.push(`${describeCase(i + k, c)} -> ${(e as Error).message}`);
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }));
      expect(alive(frontend)).toBe(true);
    }
    for (const [i, raw] of RAW_CASES.entries()) {
      const answers = await rawRequest(env.frontendPort, raw);
      for (const s of answers) {
        statuses.set(s, (statuses.get(s) ?? 0) + 1);
        if (s >= 500) bad.push(`raw case #${i} ${JSON.stringify(raw.slice(0, 80))} -> ${s}`);
      }
    }
    const histogram = [...statuses.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s === -1 ? 'closed' : s}×${n}`).join(' ');
    figures.push(`fuzz: ${cases.length} requests + ${RAW_CASES.length} raw, seed ${seed}, ${((Date.now() - began) / 1000).toFixed(0)} s; statuses ${histogram}`);
    expect(bad).toEqual([]);
    expect(alive(frontend)).toBe(true);
    expect((await requestFrom(`${url}/version`)).status).toBe(200);
    const after = await compileAt(url, freshHello('after-fuzz'));
    expect(after.status).toBe(200);
  }, 420_000);
});

// ---- 2. the sandbox backend killed ---------------------------------------------------------

interface AdminState {
  backends: Array<{ id: string; available: boolean; reason?: string }>;
  shadow: { queued: number; accepted: number; dropped: number };
}

async function state(): Promise<AdminState> {
  const r = await adminAt(url, 'GET', '/admin/api/state', env.tokens.viewer);
  if (r.status !== 200) throw new Error(`admin state answered ${r.status}`);
  return r.json<AdminState>();
}

describe('the sandbox backend killed', () => {
  it('health and routing say so (503 "no backend can run programs right now"), and it recovers when the sandbox returns', async () => {
    sandbox!.child.kill('SIGKILL');
    await sandbox!.exited;
    const killedAt = Date.now();
    let seen: AdminState | undefined;
    expect(await waitFor(async () => {
      seen = await state();
      return seen.backends.every((b) => !b.available);
    }, 15_000, 200)).toBe(true);
    const noticedMs = Date.now() - killedAt;
    for (const b of seen!.backends) expect(b.reason).toMatch(/sandbox backend unreachable at http:\/\/127\.0\.0\.1:\d+/);
    const health = await requestFrom(`${url}/_ah/health`);
    expect(health.status).toBe(500);
    expect(health.text).toMatch(/^backend linux-amd64 unavailable: sandbox backend unreachable/);
    // Both backends need the sandbox: whatever the request asks for, nothing can run it.
    for (const backend of [null, 'linux-amd64', 'nacl']) {
      const r = await compileAt(url, freshHello('sandbox-down'), backend);
      expect({ backend, status: r.status }).toEqual({ backend, status: 503 });
      expect(r.text).toMatch(/^no backend can run programs right now: .*unavailable \(sandbox backend unreachable/);
    }
    expect(alive(frontend)).toBe(true);

    const restartAt = Date.now();
    sandbox = await startSandboxProc(dist, env);
    const helloMs = await waitForHello({ frontendUrl: url }, 'linux-amd64', 60_000);
    await waitForHello({ frontendUrl: url }, 'nacl', 60_000);
    const recoveredMs = Date.now() - restartAt;
    expect(recoveredMs).toBeLessThan(60_000);
    expect((await state()).backends.every((b) => b.available)).toBe(true);
    expect((await requestFrom(`${url}/_ah/health`)).status).toBe(200);
    // The killed sandbox's warm containers were found by prefix and removed by the new one.
    await onlyWarmContainers(env.prefix, POOL_SIZE);
    figures.push(`sandbox SIGKILL: frontend saw both backends unavailable after ${noticedMs} ms; /compile 503 "no backend can run programs right now"; /_ah/health 500; after restarting the sandbox a hello ran after ${helloMs} ms, both backends in ${recoveredMs} ms`);
  }, 240_000);
});

// ---- 3. dockerd restarted under load -------------------------------------------------------

const BUSY = (n: number): string => `package main\n\nconst n = ${n}\n\nfunc main() {\n\tfor {\n\t}\n}\n`;

/** An answer, or why there was none (errors from node's http are of another realm than jest's). */
type Outcome = { status: number; text: string; ms: number } | { status: -1; text: string; ms: number };

async function attempt(p: Promise<Reply>): Promise<Outcome> {
  const began = Date.now();
  try {
    const r = await p;
    return { status: r.status, text: r.text, ms: r.ms };
  } catch (e) {
    return { status: -1, text: String((e as { message?: unknown }).message ?? e), ms: Date.now() - began };
  }
}

/** A 503 that says what is wrong: the sandbox, Docker, or no backend available. */
const CLEAR_503 = /sandbox|[Dd]ocker|no backend can run programs/;

describe('dockerd restarted in the middle of a load', () => {
  it('in-flight runs fail with a clear 503 (no hang, no 500) and the service recovers by itself', async () => {
    const pids = (await run('pgrep', ['-x', 'dockerd'])).stdout.split('\n').filter(Boolean).map(Number);
    expect(pids).toHaveLength(1);
    const dockerd = pids[0];
    const servicePids = [frontend!.child.pid, sandbox!.child.pid];

    // The load: busy loops that each hold a run slot for the full 5 s, on both backends.
    const load = Array.from({ length: 8 }, (_, i) =>
      attempt(compileAt(url, BUSY(i + Date.now()), i % 2 ? 'nacl' : 'linux-amd64', { timeoutMs: 180_000 })));
    // Kill once runs are really in flight: containers beyond the warm stock exist.
    expect(await waitFor(async () => (await containers(env.prefix)).length > 2 * POOL_SIZE, 60_000, 100)).toBe(true);
    const killAt = Date.now();
    process.kill(dockerd, 'SIGTERM');

    // A stream of fresh programs while Docker is away and after: the first 200 is the recovery.
    const stream: Array<Outcome & { at: number }> = [];
    let streaming = true;
    const streamer = (async () => {
      for (let i = 0; streaming && i < 240; i++) {
        const began = Date.now();
        stream.push({ ...(await attempt(compileAt(url, freshHello(`stream-${i}`), i % 2 ? 'nacl' : 'linux-amd64', { timeoutMs: 120_000 }))), at: Date.now() });
        await sleep(Math.max(0, 1000 - (Date.now() - began)));
      }
    })();
    let upAt = 0;
    let downMs = 0;
    let recoveredMs = NaN;
    try {
      expect(await waitFor(async () => {
        try {
          process.kill(dockerd, 0);
          return false;
        } catch {
          return true;
        }
      }, 120_000, 200)).toBe(true);
      downMs = Date.now() - killAt;
      await startDockerd();
      upAt = Date.now();
      expect(await dockerUp()).toBe(true);

      const inFlight = await Promise.all(load);
      figures.push(`dockerd restart, in-flight answers: ${inFlight.map((o) => `${o.status} ${o.text.slice(0, 160)}`).join(' | ')}`);
      for (const o of inFlight) {
        expect(o.status).not.toBe(-1); // answered, not hung up on
        expect(o.status).not.toBe(500);
        // Either it finished before Docker went (stopped at its time limit) or it failed cleanly.
        if (o.status === 200) expect(JSON.parse(o.text)).toMatchObject({ Errors: '', Status: 1 });
        else expect({ status: o.status, text: o.text }).toEqual({ status: 503, text: expect.stringMatching(CLEAR_503) });
      }
      expect(inFlight.filter((o) => o.status === 503).length).toBeGreaterThan(0);

      // Recovery: both backends run fresh programs again, with no restart of the service.
      const recovered = await waitFor(async () => {
        const a = await compileAt(url, freshHello('recovered'), 'linux-amd64');
        const b = await compileAt(url, freshHello('recovered'), 'nacl');
        return a.status === 200 && b.status === 200 && /^hello, hardening/.test(outputOf(a)) && /^hello, hardening/.test(outputOf(b));
      }, 60_000, 500);
      recoveredMs = Date.now() - upAt;
      expect(recovered).toBe(true);
    } finally {
      streaming = false;
      await streamer;
      figures.push(`dockerd restart: gone ${downMs} ms after SIGTERM, back (docker-daemon.sh) ${upAt ? ((upAt - killAt) / 1000).toFixed(1) : '?'} s after the kill; both backends ran a fresh hello ${recoveredMs} ms after Docker was back; stream (1/s): ${stream.map((o) => o.status).join(',')}`);
      const failures = [...new Set(stream.filter((o) => o.status !== 200).map((o) => `${o.status} ${o.text.replace(/[0-9a-f]{12,}/g, '…').slice(0, 200)}`))];
      if (failures.length) figures.push(`dockerd restart, stream failures: ${failures.join(' | ')}`);
    }
    expect(recoveredMs).toBeLessThan(30_000);
    expect([frontend!.child.pid, sandbox!.child.pid]).toEqual(servicePids);
    expect(alive(frontend) && alive(sandbox)).toBe(true);
    // Nothing in the stream was a 500 or a hang; failures were 503s that say what is wrong.
    for (const o of stream) {
      expect(o.status).not.toBe(-1);
      expect(o.status).not.toBe(500);
      if (o.status !== 200) expect({ status: o.status, text: o.text }).toEqual({ status: 503, text: expect.stringMatching(CLEAR_503) });
    }
    await onlyWarmContainers(env.prefix, POOL_SIZE, 30_000);
  }, 420_000);
});

// ---- 4. the frontend killed with SIGKILL while dual runs are written ----------------------

interface DualRunRow {
  id: number;
  [column: string]: unknown;
}

describe('the frontend killed with SIGKILL while dual runs are being written', () => {
  it('leaves a database that passes integrity_check, with every dual run seen and none half-written', async () => {
    const flags = await adminAt(url, 'PATCH', '/admin/api/flags', env.tokens.releaseManager, { shadowPercent: 100, reason: 'hardening: SIGKILL during dual runs' });
    expect(flags.status).toBe(200);

    const seen = new Set<number>();
    let sending = true;
    // A burst of 24 distinct programs; their shadows run behind them, in the gaps between public
    // requests, and are being written one after the other when the frontend is killed.
    const senders = [0, 1].map(async (w) => {
      for (let i = 0; sending && i < 12; i++) {
        const o = await attempt(compileAt(url, freshHello(`dual-${w}-${i}`), (i + w) % 2 ? 'nacl' : 'linux-amd64', { timeoutMs: 60_000 }));
        if (o.status === -1) return; // the frontend is gone
      }
    });
    let queuedAtKill = 0;
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const list = await adminAt(url, 'GET', '/admin/api/dual-runs?pageSize=500', env.tokens.viewer);
      for (const item of list.json<{ items: { id: number }[] }>().items) seen.add(item.id);
      const s = await state();
      // Kill once there is evidence to lose and more is on its way (queued or being written).
      if (seen.size >= 6 && s.shadow.queued > 0) {
        queuedAtKill = s.shadow.queued;
        break;
      }
      await sleep(150);
    }
    expect(seen.size).toBeGreaterThanOrEqual(6);
    frontend!.child.kill('SIGKILL');
    await frontend!.exited;
    sending = false;
    await Promise.all(senders);

    const db = new Database(env.dbPath);
    try {
      expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const columns = db.prepare(`SELECT name, "notnull" AS required FROM pragma_table_info('dual_runs')`).all() as Array<{ name: string; required: number }>;
      const rows = db.prepare('SELECT * FROM dual_runs ORDER BY id').all() as DualRunRow[];
      const ids = new Set(rows.map((row) => row.id));
      expect([...seen].filter((id) => !ids.has(id))).toEqual([]);
      const halfWritten = rows.filter((row) => {
        if (columns.some((c) => c.required === 1 && (row[c.name] === null || row[c.name] === undefined))) return true;
        try {
          for (const c of ['primary_result', 'shadow_result', 'matched_rules']) JSON.parse(String(row[c]));
        } catch {
          return true;
        }
        return !['match', 'timing-only', 'expected', 'flaky', 'mismatch', 'both-failed', 'backend-error'].includes(String(row.diff_class));
      });
      expect(halfWritten).toEqual([]);
      const audit = db.prepare(`SELECT count(*) AS n FROM audit_events WHERE reason = 'hardening: SIGKILL during dual runs'`).get() as { n: number };
      expect(audit.n).toBe(1);
      figures.push(`frontend SIGKILL with shadow 100 %: ${seen.size} dual runs listed before the kill (${queuedAtKill} more queued), ${rows.length} in the database after it; integrity_check ok; none half-written`);
    } finally {
      db.close();
    }

    // The frontend starts again on that database and serves the evidence.
    frontend = await startFrontendProc(dist, env);
    const list = await adminAt(url, 'GET', '/admin/api/dual-runs?pageSize=500', env.tokens.viewer);
    expect(list.status).toBe(200);
    const after = new Set(list.json<{ items: { id: number }[] }>().items.map((x) => x.id));
    expect([...seen].filter((id) => !after.has(id))).toEqual([]);
  }, 420_000);
});
