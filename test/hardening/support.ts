/**
 * Helpers shared by the hardening specs: stacks with their own container prefix, Docker
 * inspection by that prefix, the service built and started as separate node processes (for
 * faults that kill a process), percentiles and bounded waiting.
 *
 * Every address used here is loopback; nothing in these specs talks to any other host.
 */
import { ChildProcess, execFile, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { startStack, Stack } from '../support/stack';
import { freePort, request, Reply, sleep } from '../support/http';
import { output, postCompile } from '../support/compile';
import type { CompileResponse } from '../support/compile';

export { sleep };

export const PROJECT = path.resolve(__dirname, '..', '..');

/** A container name prefix nobody else uses (Docker names: [a-zA-Z0-9_.-]). */
export function uniquePrefix(tag: string): string {
  return `play_hard_${tag}_${process.pid}_${randomBytes(3).toString('hex')}_`;
}

export function run(file: string, args: string[], timeoutMs = 60_000, env?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 16 << 20, env }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export interface ContainerRow {
  name: string;
  state: string;
  status: string;
}

/** Every container (running or not) whose name starts with `prefix`. */
export async function containers(prefix: string): Promise<ContainerRow[]> {
  const r = await run('docker', ['ps', '-a', '--filter', `name=^/?${prefix}`, '--format', '{{.Names}}\t{{.State}}\t{{.Status}}']);
  if (r.code !== 0) throw new Error(`docker ps failed: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map((l) => {
    const [name, state, status] = l.split('\t');
    return { name, state, status };
  }).filter((c) => c.name.startsWith(prefix));
}

/** Waits until `check` returns true (polling), at most `timeoutMs`; returns whether it did. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return true;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

/**
 * No container of the stack's is left over from a run: what remains with the prefix is at most
 * the warm stock of each pool, every one of them running (waiting for its program). A run's
 * container that was not removed would push a pool over its size or sit there exited.
 */
export async function onlyWarmContainers(prefix: string, poolSize: number, timeoutMs = 20_000): Promise<ContainerRow[]> {
  let last: ContainerRow[] = [];
  const ok = await waitFor(async () => {
    last = await containers(prefix);
    const perPool = new Map<string, number>();
    for (const c of last) {
      const pool = c.name.slice(prefix.length).replace(/_[0-9a-f]{12}$/, '');
      perPool.set(pool, (perPool.get(pool) ?? 0) + 1);
    }
    return last.every((c) => c.state === 'running') && [...perPool.values()].every((n) => n <= poolSize);
  }, timeoutMs, 500);
  if (!ok) throw new Error(`containers left over with prefix ${prefix}: ${JSON.stringify(last)}`);
  return last;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

const HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, hardening") }\n';

/** A hello with a nonce, so that neither the result cache nor the build cache answers it. */
export function freshHello(tag: string): string {
  return `package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, hardening", ${JSON.stringify(`${tag}-${randomBytes(6).toString('hex')}`)}) }\n`;
}

/**
 * Like test/frontend/helpers' startFrontendStack, but with a container prefix of its own (so
 * leak checks see only this stack's containers) and waiting until both backends run a hello.
 */
export async function startHardeningStack(prefix: string, env: Record<string, string> = {}, backends: string[] = ['linux-amd64']): Promise<Stack> {
  const port = await freePort();
  const stack = await startStack({
    env: {
      SANDBOX_PORT: String(port),
      SANDBOX_URL: `http://127.0.0.1:${port}`,
      SANDBOX_CONTAINER_PREFIX: prefix,
      RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
  });
  try {
    for (const backend of backends) await waitForHello({ frontendUrl: stack.frontendUrl }, backend, 90_000);
  } catch (e) {
    await stack.stop();
    throw e;
  }
  return stack;
}

/** Polls /compile with a hello on `backend` until it runs; throws after `timeoutMs`. */
export async function waitForHello(target: { frontendUrl: string }, backend: string, timeoutMs: number): Promise<number> {
  const began = Date.now();
  let last = '';
  const ok = await waitFor(async () => {
    const r = await postCompile(target as Stack, HELLO, { backend });
    last = `${r.status} ${r.text.slice(0, 300)}`;
    return r.status === 200 && output(r.json<CompileResponse>()) === 'hello, hardening\n';
  }, timeoutMs, 500);
  if (!ok) throw new Error(`no hello ran on ${backend} within ${timeoutMs} ms; last answer: ${last}`);
  return Date.now() - began;
}

// ---- the service as separate processes ----------------------------------------------------

export interface Proc {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  log(): string;
  exited: Promise<number | null>;
}

/**
 * Compiles the service (tsc with tsconfig.build.json, what `nest build` runs) into a private
 * folder under var/, so that a spec never races with anybody else rebuilding dist/. The output
 * sits inside the project, so the built code still finds package.json, node_modules and var/.
 * One build per jest process (the specs run in band and share it through a marker file, since
 * jest gives every spec file its own module registry); folders of jest processes that are gone
 * are removed first.
 */
let builtDist: Promise<string> | undefined;

export function buildPrivateDist(): Promise<string> {
  builtDist ??= (async () => {
    const out = path.join(PROJECT, 'var', 'hardening-dist', String(process.pid));
    const marker = path.join(out, '.built');
    if (fs.existsSync(marker)) return out;
    const parent = path.join(PROJECT, 'var', 'hardening-dist');
    fs.mkdirSync(parent, { recursive: true });
    for (const name of fs.readdirSync(parent)) {
      const pid = Number(name);
      let alive = false;
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        // gone
      }
      if (!alive || pid === process.pid) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    }
    const r = await run(process.execPath, [path.join(PROJECT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(PROJECT, 'tsconfig.build.json'), '--outDir', out], 300_000);
    for (const f of ['src/frontend/main.js', 'src/sandbox/main.js']) {
      // tsc writes its output even past type errors (another engineer's file being edited), so
      // only a missing entry point is fatal here.
      if (!fs.existsSync(path.join(out, f))) throw new Error(`building the service did not write ${f}:\n${r.stdout}\n${r.stderr}`);
    }
    fs.writeFileSync(marker, new Date().toISOString());
    return out;
  })();
  return builtDist;
}

/** Starts `script` (a path) with node, its output collected. */
export function spawnNode(script: string, env: Record<string, string>): Proc {
  let out = '';
  const child = spawn(process.execPath, [script], {
    cwd: PROJECT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  child.stderr!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, log: () => out, exited };
}

/** SIGTERM, then SIGKILL after `graceMs`, for one process this spec started. */
export async function stopProc(p: Proc | undefined, graceMs = 10_000): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([p.exited.then(() => true), new Promise<boolean>((r) => { timer = setTimeout(() => r(false), graceMs); })]);
  clearTimeout(timer);
  if (!done) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
}

/** Waits until `url` answers (any status) or `timeoutMs` passes. */
async function waitListening(url: string, timeoutMs: number, proc?: Proc): Promise<void> {
  const ok = await waitFor(async () => {
    if (proc && proc.child.exitCode !== null) throw new Error('exited');
    await request(url);
    return true;
  }, timeoutMs, 250);
  if (!ok) throw new Error(`${url} did not answer within ${timeoutMs} ms${proc ? `; log:\n${proc.log().slice(-2000)}` : ''}`);
}

export interface ProcessStackEnv {
  sandboxPort: number;
  frontendPort: number;
  prefix: string;
  dbPath: string;
  tokens: { releaseManager: string; viewer: string };
  env: Record<string, string>;
}

export async function processStackEnv(tag: string, extra: Record<string, string> = {}): Promise<ProcessStackEnv> {
  const sandboxPort = await freePort();
  const frontendPort = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `play-hard-${tag}-`));
  const prefix = uniquePrefix(tag);
  const tokens = { releaseManager: `rm-${randomBytes(16).toString('hex')}`, viewer: `viewer-${randomBytes(16).toString('hex')}` };
  const dbPath = path.join(dir, 'playground.sqlite');
  return {
    sandboxPort,
    frontendPort,
    prefix,
    dbPath,
    tokens,
    env: {
      SANDBOX_HOST: '127.0.0.1',
      FRONTEND_HOST: '127.0.0.1',
      SANDBOX_PORT: String(sandboxPort),
      FRONTEND_PORT: String(frontendPort),
      SANDBOX_URL: `http://127.0.0.1:${sandboxPort}`,
      SANDBOX_TOKEN: `sandbox-${randomBytes(16).toString('hex')}`,
      SANDBOX_OPS_PORT: '0',
      FRONTEND_OPS_PORT: '0',
      SANDBOX_CONTAINER_PREFIX: prefix,
      SANDBOX_POOL_SIZE: '2',
      DATABASE_PATH: dbPath,
      RATE_LIMIT_PER_MINUTE: '0',
      ADMIN_TOKENS: `${tokens.releaseManager}:release-manager:alice,${tokens.viewer}:viewer:victor`,
      ...extra,
    },
  };
}

/** A field of /proc/<pid>/status in KiB (VmRSS, VmHWM), or NaN when the process is gone. */
export function procStatusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/**
 * One HTTP request to 127.0.0.1 with the shared client, optionally from a given loopback source
 * address (another "client" for per-client limits: 127.0.0.2 is still this machine), and a
 * 120 s idle timeout unless given.
 */
export function requestFrom(
  url: string,
  opts: { method?: string; body?: Buffer | string; headers?: http.OutgoingHttpHeaders; localAddress?: string; timeoutMs?: number } = {},
): Promise<Reply> {
  const u = new URL(url);
  if (u.hostname !== '127.0.0.1') return Promise.reject(new Error(`tests only talk to 127.0.0.1, not ${u.hostname}`));
  // An explicit length: node sends the body of a DELETE (or GET) without one otherwise.
  const headers = opts.body === undefined ? opts.headers : { 'Content-Length': Buffer.byteLength(opts.body), ...opts.headers };
  return request(url, { ...opts, headers, timeoutMs: opts.timeoutMs ?? 120_000 });
}

/** POST /compile as JSON on a pinned backend, with requestFrom. */
export function compileAt(frontendUrl: string, source: string, backend: string | null = 'linux-amd64', extra: { localAddress?: string; timeoutMs?: number } = {}): Promise<Reply> {
  const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/json' };
  if (backend) headers['X-Playground-Backend'] = backend;
  return requestFrom(`${frontendUrl}/compile`, { method: 'POST', body: JSON.stringify({ Body: source }), headers, ...extra });
}

/** The program's whole output from a 200 /compile answer. */
export function outputOf(r: Reply): string {
  return output(r.json<CompileResponse>());
}

export type { Reply, Stack };

/** Starts the sandbox backend from a private build and waits until it answers GET /status. */
export async function startSandboxProc(dist: string, e: ProcessStackEnv): Promise<Proc> {
  const p = spawnNode(path.join(dist, 'src', 'sandbox', 'main.js'), e.env);
  await waitListening(`http://127.0.0.1:${e.sandboxPort}/status`, 120_000, p);
  return p;
}

/** Starts the frontend from a private build and waits until it answers GET /version. */
export async function startFrontendProc(dist: string, e: ProcessStackEnv, extra: Record<string, string> = {}): Promise<Proc> {
  const p = spawnNode(path.join(dist, 'src', 'frontend', 'main.js'), { ...e.env, ...extra });
  await waitListening(`http://127.0.0.1:${e.frontendPort}/version`, 120_000, p);
  return p;
}

/** An admin API call with the given token (JSON body when given). */
export function adminAt(frontendUrl: string, method: string, p: string, token: string | null, body?: unknown): Promise<Reply> {
  const headers: http.OutgoingHttpHeaders = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return requestFrom(`${frontendUrl}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}
