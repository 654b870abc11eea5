/**
 * The admin API's door belongs to the admin module, not to main.ts: this boots AdminModule in a
 * fresh Nest application of its own (NestFactory's defaults, none of startFrontend's set-up: no
 * filters, no CORS, Express's own body parser on) and finds every route under /admin/api closed,
 * unknown ones included; the roles, the JSON body, the DTOs' 400s and the OpenAPI description
 * work there as they do in the frontend.
 *
 * Real settings, SQLite and toolchain; no sandbox is started (the backends report themselves
 * unavailable, which the admin API does not mind).
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Module, type INestApplication } from '@nestjs/common';
import { freePort } from '../frontend/helpers';
import { adminAt, Reply, requestFrom } from './support';

const tokens = {
  releaseManager: `rm-${randomBytes(18).toString('hex')}`,
  viewer: `viewer-${randomBytes(18).toString('hex')}`,
};

let app: INestApplication | undefined;
let url: string;
let dir: string;

/** A fresh application of AdminModule alone, started with the environment as it is now. */
async function adminOnly(): Promise<INestApplication> {
  // Imported once the environment is set: settings are read when the application starts.
  const { NestFactory } = await import('@nestjs/core');
  const { SettingsModule } = await import('../../src/platform/config/settings.module');
  const { MetricsModule } = await import('../../src/platform/metrics/metrics.module');
  const { PLUGIN_SETTINGS } = await import('../../src/frontend/registered-plugins');
  const { DatabaseModule } = await import('../../src/frontend/db/database.module');
  const { StatsModule } = await import('../../src/frontend/stats/stats.module');
  const { AdminModule } = await import('../../src/frontend/admin/admin.module');

  @Module({ imports: [SettingsModule.forRoot(PLUGIN_SETTINGS), MetricsModule, DatabaseModule, StatsModule, AdminModule] })
  class AdminOnly {}

  const started = await NestFactory.create(AdminOnly, { abortOnError: false });
  await started.listen(0, '127.0.0.1');
  return started;
}

const urlOf = async (a: INestApplication): Promise<string> => (await a.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'play-admin-module-'));
  Object.assign(process.env, {
    SANDBOX_TOKEN: `sandbox-${randomBytes(18).toString('hex')}`,
    SANDBOX_URL: `http://127.0.0.1:${await freePort()}`,
    DATABASE_PATH: path.join(dir, 'playground.sqlite'),
    FRONTEND_OPS_PORT: '0',
    ADMIN_TOKENS: `${tokens.releaseManager}:release-manager:alice,${tokens.viewer}:viewer:victor`,
  });
  app = await adminOnly();
  url = await urlOf(app);
}, 120_000);

afterAll(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Every (method, path) Express has for the app, as Nest registered them. */
function registeredRoutes(): Array<{ method: string; path: string }> {
  const express = app!.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } };
  return express.router.stack.flatMap((l) => (l.route ? Object.keys(l.route.methods).filter((m) => m !== '_all').map((m) => ({ method: m.toUpperCase(), path: l.route!.path })) : []));
}

/** A concrete path for a route pattern: parameters and the catch-all's wildcard filled in. */
const concrete = (p: string): string => p.replace(/\{\/\*\w+\}/g, '/x/y').replace(/:id\b/g, '1').replace(/:\w+/g, 'x');

function call(method: string, p: string, token: string | null, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  const auth = token ? { Authorization: `Bearer ${token}` } : {};
  return requestFrom(`${url}${p}`, { method, body, headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...auth, ...headers } });
}

describe('AdminModule in an application of its own', () => {
  it('registers the admin routes (the walk below cannot pass by finding none)', () => {
    const admin = registeredRoutes().filter((r) => r.path.startsWith('/admin/api'));
    expect(admin.length).toBeGreaterThanOrEqual(16);
    expect(admin).toEqual(expect.arrayContaining([
      { method: 'PATCH', path: '/admin/api/flags' },
      { method: 'GET', path: '/admin/api/openapi.json' },
      { method: 'POST', path: '/admin/api/release-day/flip' },
    ]));
  });

  it('refuses every admin route without a valid token with 401 and the server\'s words, and stores nothing', async () => {
    const failures: string[] = [];
    for (const r of registeredRoutes().filter((x) => x.path.startsWith('/admin/api'))) {
      const body = r.method === 'GET' || r.method === 'HEAD' ? undefined : JSON.stringify({ reason: 'no token', rolloutPercent: 100 });
      for (const token of [null, `rm-${randomBytes(18).toString('hex')}`]) {
        const res = await call(r.method, concrete(r.path), token, body);
        if (res.status !== 401) failures.push(`${r.method} ${r.path} (${token ? 'unknown token' : 'no token'}): ${res.status} ${res.text.slice(0, 100)}`);
        else if (res.headers['cache-control'] !== 'no-store') failures.push(`${r.method} ${r.path}: Cache-Control ${res.headers['cache-control']}`);
      }
    }
    expect(failures).toEqual([]);
    const none = await call('GET', '/admin/api/state', null);
    expect(none.json()).toEqual({ statusCode: 401, message: 'sign in: send Authorization: Bearer <admin token>' });
    const state = await adminAt(url, 'GET', '/admin/api/state', tokens.viewer);
    expect(state.json<{ flags: { rolloutPercent: number; version: number } }>().flags).toMatchObject({ rolloutPercent: 0, version: 1 });
  }, 120_000);

  it('closes unknown paths under the prefix too: 401 without a token, 404 with one', async () => {
    for (const p of ['/admin/api', '/admin/api/', '/admin/api/whatever', '/admin/api/whatever/deeper?x=1', '/ADMIN/API/whatever', '/admin/api/flags']) {
      for (const method of ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE']) {
        expect({ method, p, status: (await call(method, p, null)).status }).toEqual({ method, p, status: 401 });
      }
      if (p === '/admin/api/flags') continue; // a real route: PATCH takes it
      const found = await call('GET', p, tokens.viewer);
      expect({ p, status: found.status, type: found.headers['content-type'] }).toEqual({ p, status: 404, type: expect.stringContaining('application/json') });
    }
    expect((await call('GET', '/admin/api/whatever', tokens.viewer)).json()).toMatchObject({ statusCode: 404, message: 'Cannot GET /admin/api/whatever' });
  });

  it('a viewer reads, only a release manager changes; a foreign Origin and a non-JSON body are refused', async () => {
    const change = JSON.stringify({ rolloutPercent: 12.5, reason: 'admin module: quarter' });
    const viewer = await call('PATCH', '/admin/api/flags', tokens.viewer, change);
    expect({ status: viewer.status, body: viewer.json() }).toEqual({ status: 403, body: { statusCode: 403, message: 'victor is a viewer: only release managers may change anything' } });
    expect((await call('POST', '/admin/api/dual-runs/1/replay', tokens.viewer, '{}')).status).toBe(403);
    expect((await call('PATCH', '/admin/api/flags', tokens.releaseManager, change, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await call('PATCH', '/admin/api/flags', tokens.releaseManager, change, { 'Content-Type': 'text/plain' })).status).toBe(415);
    const ok = await call('PATCH', '/admin/api/flags', tokens.releaseManager, change);
    expect({ status: ok.status, rollout: ok.json<{ flags: { rolloutPercent: number } }>().flags.rolloutPercent }).toEqual({ status: 200, rollout: 12.5 });
    expect((await call('GET', '/admin/api/me', tokens.viewer)).json()).toEqual({ name: 'victor', role: 'viewer' });
  });

  it('checks bodies and queries with the DTOs: the first problem, as a 400 with a plain message', async () => {
    const rm = tokens.releaseManager;
    const cases: Array<[string, string, string | undefined, string]> = [
      ['PATCH', '/admin/api/flags', '{"rolloutPercent": 5}', 'a reason is required for every change ("reason": "…")'],
      ['PATCH', '/admin/api/flags', '{"rolloutPercent": 5, "reason": "   "}', 'a reason is required for every change ("reason": "…")'],
      ['PATCH', '/admin/api/flags', JSON.stringify({ reason: 'x'.repeat(2001), rolloutPercent: 5 }), 'reason: at most 2000 characters'],
      ['PATCH', '/admin/api/flags', '{"reason": "r", "rolloutPercent": "12"}', 'rolloutPercent must be a number from 0 to 100'],
      ['PATCH', '/admin/api/flags', '{"reason": "r", "shadowPercent": 101}', 'shadowPercent must be a number from 0 to 100'],
      ['PATCH', '/admin/api/flags', '{"reason": "r", "rolloutPercent": 0.001}', 'rolloutPercent moves in steps of 0.01'],
      ['PATCH', '/admin/api/flags', '{"reason": "r", "killSwitch": null}', 'killSwitch must be true or false'],
      ['PATCH', '/admin/api/flags', '{"reason": "r", "rolout": 5, "kill": true}', 'unknown field(s): rolout, kill'],
      ['PATCH', '/admin/api/flags', '{"reason": "r"}', 'nothing to change: give one of rolloutBp, shadowBp, optInHeader, optInComment, killSwitch'],
      ['POST', '/admin/api/release-day/rollback', undefined, 'a reason is required for every change ("reason": "…")'],
      ['POST', '/admin/api/release-day/flip', '{"reason": "go", "confirm": "yes", "override": true}', 'type "release day" to confirm'],
      ['POST', '/admin/api/release-day/schedule', '{"reason": "go", "at": "soon"}', '"at" must be an ISO date and time'],
      ['POST', '/admin/api/rules', '{"reason": "r", "name": "x", "description": "d", "pattern": "("}', 'diff rule "x": invalid pattern "("'],
      ['POST', '/admin/api/rules', '{"reason": "r", "name": "x", "description": 7, "pattern": "x"}', 'description must be a string'],
      ['POST', '/admin/api/rules', '{"reason": "r", "name": "Bad Name", "description": "d", "pattern": "x"}', 'rule name: 1-64 characters of a-z, 0-9 and "-"'],
      ['GET', '/admin/api/dual-runs?page=0', undefined, 'page must be a whole number ≥ 1'],
      ['GET', '/admin/api/dual-runs?pageSize=501', undefined, 'pageSize must be 1..500'],
      ['GET', '/admin/api/dual-runs?class=match,nope', undefined, 'unknown class nope; classes: '],
      ['GET', '/admin/api/dual-runs?from=yesterday', undefined, 'from must be an ISO date'],
      ['GET', '/admin/api/audit?to=never', undefined, 'to must be an ISO date'],
      ['GET', '/admin/api/stats?hours=0', undefined, 'hours must be in (0, 720]'],
    ];
    for (const [method, p, body, message] of cases) {
      const res = await call(method, p, rm, body);
      expect({ method, p, body, status: res.status, message: res.json<{ message: unknown }>().message }).toEqual({ method, p, body, status: 400, message: expect.stringContaining(message) });
    }
    // Malformed JSON is the body parser's 400 (Express's own here, as this application leaves it on).
    expect((await call('PATCH', '/admin/api/flags', rm, '{"reason": "r", "rolloutPercent": ')).status).toBe(400);
    // What passes the checks goes through, with the defaults the DTOs give.
    const page = await call('GET', '/admin/api/dual-runs?class=match,mismatch&from=2020-01-01', rm);
    expect({ status: page.status, body: page.json() }).toEqual({ status: 200, body: { total: 0, page: 1, pageSize: 25, items: [] } });
    // An unknown query parameter is ignored (the admin UI and scripts may send more).
    expect((await call('GET', '/admin/api/audit?limit=5&page=2', rm)).json()).toMatchObject({ page: 2, pageSize: 25 });
    expect((await call('GET', '/admin/api/audit?format=csv&page=0', rm)).headers['content-type']).toMatch(/^text\/csv/);
    expect((await call('GET', '/admin/api/stats', rm)).json()).toMatchObject({ hours: 24, bucketMinutes: 15 });
  });

  it('with no ADMIN_TOKENS, refuses every admin request and says at start-up how to set one', async () => {
    let written = '';
    const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
    process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      written += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      return write(chunk, ...rest);
    }) as typeof process.stdout.write;
    const configured = process.env.ADMIN_TOKENS;
    process.env.ADMIN_TOKENS = '';
    let closed: INestApplication | undefined;
    try {
      closed = await adminOnly();
      expect(written).toContain('no ADMIN_TOKENS configured: every /admin/api request is refused');
      for (const token of [null, tokens.releaseManager]) {
        const res = await requestFrom(`${await urlOf(closed)}/admin/api/state`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
        expect({ status: res.status, body: res.json() }).toEqual({ status: 401, body: { statusCode: 401, message: 'the admin API is disabled: no ADMIN_TOKENS are configured on this server' } });
      }
    } finally {
      process.env.ADMIN_TOKENS = configured;
      process.stdout.write = write as typeof process.stdout.write;
      await closed?.close();
    }
  }, 120_000);

  it('describes the admin API in OpenAPI behind the same door', async () => {
    expect((await call('GET', '/admin/api/openapi.json', null)).status).toBe(401);
    const res = await call('GET', '/admin/api/openapi.json', tokens.viewer);
    expect(res.status).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, Record<string, unknown>>; components: { securitySchemes?: object; schemas: Record<string, { properties?: object }> } }>();
    expect(doc.openapi).toMatch(/^3\./);
    const described = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
    const served = registeredRoutes()
      .filter((r) => r.path.startsWith('/admin/api') && r.path !== '/admin/api/openapi.json' && !r.path.includes('*'))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort();
    expect(described).toEqual(served);
    expect(doc.components.securitySchemes).toBeDefined();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['FlagsChange', 'ReleaseDayFlip', 'RuleChange']));
    expect(Object.keys(doc.components.schemas.FlagsChange.properties ?? {})).toEqual(['reason', 'rolloutPercent', 'shadowPercent', 'optInHeader', 'optInComment', 'killSwitch']);
  });
});
