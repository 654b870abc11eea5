/**
 * Shared helpers of the frontend integration specs: a stack whose frontend really talks to its
 * own sandbox, a small HTTP client that keeps the raw bytes, and the contract's /compile shapes.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { startStack, Stack } from '../support/stack';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** Wall-clock milliseconds from sending the request to the end of the answer. */
  ms: number;
  json<T = unknown>(): T;
}

/**
 * One HTTP request on node's http module (loopback only): the body is sent exactly as given,
 * so tests can send invalid UTF-8 or a wrong Content-Type.
 */
export function request(
  url: string,
  opts: { method?: string; body?: Buffer | string; headers?: http.OutgoingHttpHeaders } = {},
): Promise<Reply> {
  const u = new URL(url);
  if (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost' && u.hostname !== '[::1]') {
    return Promise.reject(new Error(`tests only talk to loopback, not ${u.hostname}`));
  }
  return new Promise((resolve, reject) => {
    const began = process.hrtime.bigint();
    const req = http.request(u, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        const ms = Number(process.hrtime.bigint() - began) / 1e6;
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text,
          ms,
          json: <T>() => {
            try {
              return JSON.parse(text) as T;
            } catch {
              throw new Error(`answer ${res.statusCode} is not JSON: ${text.slice(0, 300)}`);
            }
          },
        });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export interface PlaybackEvent {
  Message: string;
  Kind: 'stdout' | 'stderr';
  Delay: number;
}

export interface CompileResponse {
  Errors: string;
  Events: PlaybackEvent[] | null;
  Status: number;
  IsTest: boolean;
  TestsFailed: number;
  VetErrors?: string;
  VetOK?: boolean;
}

/** The contract's /compile keys, in the order play.golang.org sends them. */
export const COMPILE_KEYS = ['Errors', 'Events', 'Status', 'IsTest', 'TestsFailed'];

/** The backend these specs pin with the opt-in header, so routing never changes what is tested. */
export const MODERN = 'linux-amd64';

export interface CompileOptions {
  withVet?: boolean;
  /** Send `{"Body", "WithVet"}` as JSON instead of the browser's form. */
  json?: boolean;
  /** The X-Playground-Backend header; `linux-amd64` unless given (null: no header). */
  backend?: string | null;
  path?: '/compile' | '/vet';
}

/** POST /compile the way the browser client does (form, version=2), or as JSON. */
export function postCompile(stack: Stack, source: string, opts: CompileOptions = {}): Promise<Reply> {
  const headers: http.OutgoingHttpHeaders = {};
  const backend = opts.backend === undefined ? MODERN : opts.backend;
  if (backend !== null) headers['X-Playground-Backend'] = backend;
  let body: string;
  if (opts.json) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify({ Body: source, WithVet: opts.withVet ?? false });
  } else {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams({ version: '2', body: source, withVet: String(opts.withVet ?? false) }).toString();
  }
  return request(`${stack.frontendUrl}${opts.path ?? '/compile'}`, { method: 'POST', body, headers });
}

/** POST /compile and expect a 200 contract answer. */
export async function compile(stack: Stack, source: string, opts: CompileOptions = {}): Promise<CompileResponse> {
  const r = await postCompile(stack, source, opts);
  if (r.status !== 200) throw new Error(`/compile answered ${r.status}: ${r.text.slice(0, 500)}`);
  return r.json<CompileResponse>();
}

/** Everything the program wrote, both streams, in playback order. */
export function output(r: CompileResponse): string {
  return (r.Events ?? []).map((e) => e.Message).join('');
}

/** A free loopback port (closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * startStack with the frontend pointed explicitly at this stack's own sandbox: the sandbox port
 * is chosen up front and SANDBOX_URL set with it, so the frontend can never reach another
 * sandbox, e.g. a developer's service on the default 127.0.0.1:8081 (which is what happened
 * while settings were read once per process, before they were read per application).
 * Rate limiting is off: a spec sends more requests than a person would.
 */
export async function startFrontendStack(env: Record<string, string> = {}): Promise<Stack> {
  const port = await freePort();
  const stack = await startStack({
    env: { SANDBOX_PORT: String(port), SANDBOX_URL: `http://127.0.0.1:${port}`, RATE_LIMIT_PER_MINUTE: '0', ...env },
  });
  if (!stack.sandboxUrl.endsWith(`:${port}`)) {
    await stack.stop();
    throw new Error(`the sandbox listens at ${stack.sandboxUrl}, not on the chosen port ${port}`);
  }
  // The frontend learns the sandbox's availability by polling; wait until a program runs.
  const hello = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("warm-up") }\n';
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await postCompile(stack, hello);
    if (r.status === 200 && r.headers['x-playground-backend'] === MODERN && output(r.json<CompileResponse>()) === 'warm-up\n') return stack;
    if (Date.now() > deadline || (r.status !== 503 && r.status !== 200)) {
      await stack.stop();
      throw new Error(`the stack never ran a hello program: ${r.status} ${r.text.slice(0, 300)}`);
    }
    await sleep(250);
  }
}

/**
 * The service's build directories (`play-build-*`) in os.tmpdir(). Jest gives a spec its own copy
 * of process.env, so the service's temp dir cannot be made private to a spec; other processes
 * on this machine (a running service, other specs) may be building at the same moment. Left-overs
 * are therefore the new entries that are still there after anybody's build in flight finished.
 */
export class BuildDirs {
  private readonly before: Set<string>;

  constructor() {
    this.before = new Set(BuildDirs.list());
  }

  static list(): string[] {
    return fs.readdirSync(os.tmpdir()).filter((n) => /^play-build-/.test(n));
  }

  count(): number {
    return BuildDirs.list().length;
  }

  /** New build directories that stay for `graceMs` (a build takes at most BUILD_TIMEOUT_MS). */
  async leftovers(graceMs = 15_000): Promise<string[]> {
    const deadline = Date.now() + graceMs;
    for (;;) {
      const fresh = BuildDirs.list().filter((n) => !this.before.has(n));
      if (fresh.length === 0 || Date.now() > deadline) return fresh;
      await sleep(200);
    }
  }
}

/**
 * Go source written readably inside a spec: the common indentation is removed and each further
 * two leading spaces become a tab, as gofmt writes them. The text is taken raw, so `\n` stays a
 * Go escape. A template literal's first newline is dropped; the result ends with one newline.
 */
export function go(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.raw.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').replace(/\s+$/, '').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const base = indents.length ? Math.min(...indents) : 0;
  return lines
    .map((l) => {
      const rest = l.slice(base);
      const m = /^((?:  )*)(.*)$/.exec(rest)!;
      return l.trim() === '' ? '' : '\t'.repeat(m[1].length / 2) + m[2];
    })
    .join('\n') + '\n';
}
