/**
 * The admin API's door, checked against what the application really registers: every route
 * under /admin/api is walked from the Express router of the running Nest app (so a route added
 * tomorrow is checked tomorrow) and must refuse a request without a valid token with 401. State
 * changes cannot be made cross-site (foreign Origin: 403; not JSON: 415), and no admin token
 * ever reaches the logs: everything the process writes to stdout/stderr or the console during
 * start-up and a series of admin calls is captured and searched.
 *
 * The frontend runs in this process (its router is needed); no sandbox is started, so the
 * backends report themselves unavailable, which the admin API does not mind.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import type { INestApplication } from '@nestjs/common';
import { freePort } from '../frontend/helpers';
import { adminAt, Reply, requestFrom } from './support';

const tokens = {
  releaseManager: `rm-${randomBytes(18).toString('hex')}`,
  viewer: `viewer-${randomBytes(18).toString('hex')}`,
};
/** A token that is not configured, but looks like one: it must not be logged either. */
const WRONG = `rm-${randomBytes(18).toString('hex')}`;
/** The frontend-to-sandbox secret: sent on every poll of the sandbox, never logged. */
const SANDBOX_TOKEN = `sandbox-${randomBytes(18).toString('hex')}`;

let app: INestApplication | undefined;
let url: string;
let dir: string;
let captured = '';
const restore: Array<() => void> = [];
let walked: string[] = [];

/** Captures everything written to stdout, stderr and the console from now on (still passed on). */
function capture(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      return original(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => { stream.write = original as typeof stream.write; });
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level];
    console[level] = (...args: unknown[]) => {
      captured += `${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`;
    };
    restore.push(() => { console[level] = original; });
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'play-hard-admin-'));
  Object.assign(process.env, {
    FRONTEND_PORT: '0',
    FRONTEND_OPS_PORT: '0',
    FRONTEND_HOST: '127.0.0.1',
    SANDBOX_TOKEN,
    // Nothing listens there: the frontend only polls it for status.
    SANDBOX_URL: `http://127.0.0.1:${await freePort()}`,
    DATABASE_PATH: path.join(dir, 'playground.sqlite'),
    RATE_LIMIT_PER_MINUTE: '0',
    ADMIN_TOKENS: `${tokens.releaseManager}:release-manager:alice,${tokens.viewer}:viewer:victor`,
  });
  capture();
  const { startFrontend } = await import('../../src/frontend/main');
  app = await startFrontend();
  url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
}, 120_000);

afterAll(async () => {
  await app?.close();
  for (const r of restore.splice(0).reverse()) r();
  // eslint-disable-next-line no-console
  console.log(`admin routes walked (${walked.length}): ${walked.join(', ')}`);
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

interface RouteInfo {
  method: string;
  path: string;
}

/** Every (method, path) the Express 5 router of the app has, as Nest registered them. */
function registeredRoutes(): RouteInfo[] {
  const express = app!.getHttpAdapter().getInstance() as { router?: { stack: unknown[] }; _router?: { stack: unknown[] } };
  // Express 5 exposes the router as app.router (Express 4: app._router).
  const stack = (express.router ?? express._router)?.stack ?? [];
  const routes: RouteInfo[] = [];
  for (const layer of stack as Array<{ route?: { path: string | string[]; methods: Record<string, boolean> } }>) {
    if (!layer.route) continue;
    for (const p of Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]) {
      for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') routes.push({ method: m.toUpperCase(), path: p });
    }
  }
  return routes;
}

/** A concrete URL path for a route pattern: parameters and wildcards filled in. */
function concrete(p: string): string {
  return p.replace(/\*\w*/g, 'x/y').replace(/:(\w+)/g, (_m, name: string) => (name === 'id' ? '1' : 'x')).replace(/[{}]/g, '');
}

function call(method: string, p: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return requestFrom(`${url}${p}`, { method, headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers }, body });
}

describe('every route under /admin/api refuses a request without a valid token', () => {
  it('the walk finds the admin routes (the test cannot pass by finding none)', () => {
    const admin = registeredRoutes().filter((r) => r.path.startsWith('/admin/api'));
    walked = admin.map((r) => `${r.method} ${r.path}`);
    expect(admin.length).toBeGreaterThanOrEqual(15);
    expect(admin).toEqual(expect.arrayContaining([
      { method: 'PATCH', path: '/admin/api/flags' },
      { method: 'GET', path: '/admin/api/state' },
      { method: 'POST', path: '/admin/api/release-day/flip' },
      { method: 'GET', path: '/admin/api/dual-runs/:id' },
    ]));
    // Public routes are found too, and they are not behind the door.
    expect(registeredRoutes()).toEqual(expect.arrayContaining([{ method: 'POST', path: '/compile' }]));
  });

  it('401 with no token, a malformed Authorization, an unknown token, or a token in a cookie or the query', async () => {
    const admin = registeredRoutes().filter((r) => r.path.startsWith('/admin/api'));
    const failures: string[] = [];
    for (const r of admin) {
      const p = concrete(r.path);
      const body = r.method === 'GET' || r.method === 'HEAD' ? undefined : JSON.stringify({ reason: 'no token', rolloutPercent: 100, confirm: 'x' });
      const attempts: Array<[string, Record<string, string>, string]> = [
        ['no token', {}, p],
        ['Basic auth', { Authorization: `Basic ${Buffer.from(`alice:${tokens.releaseManager}`).toString('base64')}` }, p],
        ['empty bearer', { Authorization: 'Bearer ' }, p],
        ['unknown token', { Authorization: `Bearer ${WRONG}` }, p],
        ['token in a cookie', { Cookie: `token=${tokens.releaseManager}; Authorization=Bearer%20${tokens.releaseManager}` }, p],
        ['token in the query', {}, `${p}?token=${tokens.releaseManager}&access_token=${tokens.releaseManager}`],
      ];
      for (const [what, headers, target] of attempts) {
        const res = await call(r.method, target, headers, body).catch((e: Error) => { throw new Error(`${r.method} ${target} (${what}): ${e.message}`); });
        if (res.status !== 401) failures.push(`${r.method} ${target.slice(0, 60)} (${what}): ${res.status} ${res.text.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
    // Nothing above changed anything.
    const flags = await adminAt(url, 'GET', '/admin/api/state', tokens.viewer);
    expect(flags.json<{ flags: { rolloutPercent: number; version: number } }>().flags).toMatchObject({ rolloutPercent: 0, version: 1 });
  }, 120_000);

  it('a made-up route, and spellings of the prefix that still reach the app, are 401 too (not 404, not 200)', async () => {
    for (const p of ['/admin/api/nonexistent', '/admin/api/nonexistent/deeper?x=1', '/admin/api', '/admin/api/', '/ADMIN/API/state', '/Admin/Api/flags', '/admin/api/state/', '/admin/api/./state']) {
      for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
        const res = await call(method, p, {}, method === 'GET' ? undefined : '{"reason":"x"}').catch((e: Error) => { throw new Error(`${method} ${p}: ${e.message}`); });
        expect({ method, p, status: res.status }).toEqual({ method, p, status: 401 });
      }
    }
    // Spellings the router does not take as the prefix reach no admin route at all: a 4xx, or
    // the admin UI's HTML shell (served for any /admin/* page), never admin data.
    for (const p of ['/admin//api/state', '/admin/api%2Fstate', '/%61dmin/api/state', '/admin/api/..%2Fstate', '/admin/api%2F..%2Fapi%2Fstate']) {
      const res = await call('GET', p);
      if (res.status === 200) expect({ p, type: res.headers['content-type'], page: /<title>Playground migration admin<\/title>/.test(res.text) }).toEqual({ p, type: 'text/html; charset=utf-8', page: true });
      else expect({ p, status: res.status }).toEqual({ p, status: expect.any(Number) });
      expect(res.status).toBeLessThan(500);
      expect(res.text).not.toMatch(/rolloutPercent|bucketSalt|"flags"|"backends"/);
    }
  });
});

describe('admin state changes cannot be made cross-site', () => {
  const change = JSON.stringify({ rolloutPercent: 12.5, reason: 'hardening: cross-site attempt' });

  it('a PATCH with a foreign Origin is 403, even with a valid release-manager token', async () => {
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:1`, `${url}.evil.example`]) {
      const res = await call('PATCH', '/admin/api/flags', { Authorization: `Bearer ${tokens.releaseManager}`, Origin: origin }, change);
      expect({ origin, status: res.status, text: res.text }).toEqual({ origin, status: 403, text: expect.stringContaining('cross-site admin changes are refused') });
    }
  });

  it('a text/plain (or form) body is 415: a browser form cannot send the JSON a change needs', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await requestFrom(`${url}/admin/api/flags`, { method: 'PATCH', headers: { Authorization: `Bearer ${tokens.releaseManager}`, 'Content-Type': type }, body: change });
      expect({ type, status: res.status }).toEqual({ type, status: 415 });
    }
  });

  it('none of that changed the flags; the same change from the app\'s own origin goes through', async () => {
    const before = (await adminAt(url, 'GET', '/admin/api/state', tokens.viewer)).json<{ flags: { rolloutPercent: number } }>().flags;
    expect(before.rolloutPercent).toBe(0);
    const sameOrigin = await call('PATCH', '/admin/api/flags', { Authorization: `Bearer ${tokens.releaseManager}`, Origin: url }, change);
    expect(sameOrigin.status).toBe(200);
    expect(sameOrigin.json<{ flags: { rolloutPercent: number } }>().flags.rolloutPercent).toBe(12.5);
    // A viewer may read but not change.
    const viewer = await call('PATCH', '/admin/api/flags', { Authorization: `Bearer ${tokens.viewer}` }, change);
    expect(viewer.status).toBe(403);
  });
});

describe('tokens are never logged', () => {
  it('start-up and a series of admin calls (good, bad, refused) leave no token in the logs or the audit trail', async () => {
    const rm = { Authorization: `Bearer ${tokens.releaseManager}` };
    const calls: Array<[string, string, Record<string, string>, string | undefined]> = [
      ['GET', '/admin/api/me', rm, undefined],
      ['GET', '/admin/api/state', { Authorization: `Bearer ${tokens.viewer}` }, undefined],
      ['PATCH', '/admin/api/flags', rm, JSON.stringify({ shadowPercent: 1, reason: 'hardening: log check' })],
      ['PATCH', '/admin/api/flags', rm, JSON.stringify({ shadowPercent: 'lots', reason: 'hardening: a refused change' })],
      ['PATCH', '/admin/api/flags', rm, '{"not json'],
      ['POST', '/admin/api/rules', rm, JSON.stringify({ name: 'hardening-rule', description: 'x', pattern: '(', flags: 'g', reason: 'bad regex' })],
      ['POST', '/admin/api/release-day/flip', rm, JSON.stringify({ reason: 'hardening: refused flip', confirm: 'no' })],
      ['GET', '/admin/api/dual-runs/999999', rm, undefined],
      ['GET', '/admin/api/audit?limit=5', rm, undefined],
      ['GET', '/admin/api/state', { Authorization: `Bearer ${WRONG}` }, undefined],
      ['GET', '/admin/api/state', { Authorization: `Bearer ${tokens.releaseManager}x` }, undefined],
      ['PATCH', '/admin/api/flags', { Authorization: `Bearer ${tokens.viewer}` }, JSON.stringify({ shadowPercent: 2, reason: 'viewer' })],
    ];
    const statuses: number[] = [];
    for (const [method, p, headers, body] of calls) statuses.push((await call(method, p, headers, body)).status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // The capture works: it holds the start-up log and the change's audit trail exists.
    expect(captured).toContain('Nest application successfully started');
    for (const secret of [tokens.releaseManager, tokens.viewer, WRONG, SANDBOX_TOKEN]) {
      expect(captured.includes(secret)).toBe(false);
      // Not even the token's distinctive middle part.
      expect(captured.includes(secret.slice(8, 30))).toBe(false);
    }
    const db = new Database(process.env.DATABASE_PATH!, { readonly: true });
    try {
      const rows = db.prepare('SELECT * FROM audit_events').all() as Array<Record<string, unknown>>;
      expect(rows.length).toBeGreaterThan(0);
      const text = JSON.stringify(rows);
      expect(text).toContain('hardening: log check');
      for (const secret of [tokens.releaseManager, tokens.viewer, WRONG]) expect(text.includes(secret)).toBe(false);
    } finally {
      db.close();
    }
  });
});
