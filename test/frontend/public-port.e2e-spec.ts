/**
 * What the public port lets a stranger do, checked on a real frontend (in this process; no
 * sandbox runs, so programs are refused as unavailable, which does not matter here): one rate
 * limit per endpoint however its path is spelled, the client address taken from
 * X-Forwarded-For only as far as TRUST_PROXY trusts the proxies in front, and no /metrics (it is
 * on the operations listener, without CORS).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { INestApplication } from '@nestjs/common';
import { freePort, request, Reply } from '../support/http';
import { validateSettings } from '../../src/platform/config/settings';

const PER_MINUTE = 3;

let app: INestApplication | undefined;
let url: string;
let opsUrl: string;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'play-public-port-'));
  Object.assign(process.env, {
    FRONTEND_PORT: '0',
    FRONTEND_OPS_PORT: '0',
    FRONTEND_HOST: '127.0.0.1',
    SANDBOX_URL: `http://127.0.0.1:${await freePort()}`, // nothing listens: no program runs
    DATABASE_PATH: path.join(dir, 'playground.sqlite'),
    RATE_LIMIT_PER_MINUTE: String(PER_MINUTE),
    TRUST_PROXY: '1', // one load balancer in front, which appends the address it saw
  });
  const { startFrontend } = await import('../../src/frontend/main');
  const { OpsListener } = await import('../../src/platform/metrics/ops-listener');
  app = await startFrontend();
  url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  opsUrl = await app.get(OpsListener).url();
}, 120_000);

afterAll(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** An empty POST: refused by the handler (400) once past the limiter, so no build is made. */
function post(route: string, forwardedFor: string): Promise<Reply> {
  return request(`${url}${route}`, { method: 'POST', body: '', headers: { 'Content-Length': '0', 'X-Forwarded-For': forwardedFor } });
}

describe('the rate limit', () => {
  it('is one budget per endpoint whatever the spelling: /COMPILE, /compile/, /Compile and /compile share it', async () => {
    const client = '198.51.100.1';
    const statuses = [];
    for (const route of ['/COMPILE', '/compile/', '/Compile', '/compile']) statuses.push((await post(route, client)).status);
    expect(statuses).toEqual([400, 400, 400, 429]);
    // /fmt, /vet and /share in any spelling spend the same client's budget, now empty.
    for (const route of ['/FMT', '/vet/', '/Share']) {
      const r = await post(route, client);
      expect(r.status).toBe(429);
      expect(r.text).toMatch(new RegExp(`Too many requests: at most ${PER_MINUTE} a minute; retry in \\d+ s`));
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // Routes that are not costly are not limited.
    expect((await request(`${url}/VERSION`, { headers: { 'X-Forwarded-For': client } })).status).toBe(200);
  });

  it('with TRUST_PROXY=1 keys on the address the proxy appended, not on the entries the client wrote', async () => {
    const statuses = [];
    for (let i = 0; i < PER_MINUTE + 2; i++) statuses.push((await post('/compile', `10.9.9.${i}, 192.0.2.${i}, 203.0.113.9`)).status);
    expect(statuses).toEqual([400, 400, 400, 429, 429]);
    // Another client behind the same proxy has its own budget.
    expect((await post('/compile', '10.9.9.1, 203.0.113.10')).status).toBe(400);
  });

  it('refuses TRUST_PROXY=true at start-up, naming why, and takes hops or networks', () => {
    expect(() => validateSettings({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: true would trust every X-Forwarded-For entry, which the client writes itself/);
    expect(() => validateSettings({ TRUST_PROXY: 'gateway.internal' })).toThrow(/TRUST_PROXY: "gateway.internal" is neither/);
    expect(validateSettings({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe('2');
    expect(validateSettings({ TRUST_PROXY: '10.0.0.0/8,loopback' }).TRUST_PROXY).toBe('10.0.0.0/8,loopback');
  });
});

describe('/metrics', () => {
  it('is not on the public port', async () => {
    for (const p of ['/metrics', '/METRICS', '/metrics/']) expect((await request(`${url}${p}`)).status).toBe(404);
  });

  it('is on the operations listener (loopback), Prometheus text without CORS', async () => {
    expect(new URL(opsUrl).hostname).toBe('127.0.0.1');
    expect(new URL(opsUrl).port).not.toBe(new URL(url).port);
    const r = await request(`${opsUrl}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(r.text).toMatch(/^process_cpu_seconds_total /m);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    // Nothing else of the application is there.
    expect((await request(`${opsUrl}/version`)).status).toBe(404);
  });
});
