import type { NextFunction, Request, Response } from 'express';
import { rateLimit } from './rate-limit.middleware';

function call(mw: ReturnType<typeof rateLimit>, ip: string, path = '/compile') {
  const headers: Record<string, string> = {};
  let status = 200;
  const res = {
    setHeader: (k: string, v: string) => { headers[k] = v; },
    status: (s: number) => { status = s; return res; },
    type: () => res,
    send: () => res,
  } as unknown as Response;
  let passed = false;
  mw({ method: 'POST', path, ip, socket: {} } as unknown as Request, res, (() => { passed = true; }) as NextFunction);
  return { passed, status, headers };
}

describe('rateLimit', () => {
  it('lets a client spend its budget, then answers 429 with Retry-After', () => {
    const mw = rateLimit(3);
    for (let i = 0; i < 3; i++) expect(call(mw, '1.1.1.1').passed).toBe(true);
    const refused = call(mw, '1.1.1.1');
    expect(refused.passed).toBe(false);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
  });

  it('keeps clients apart and leaves other routes alone', () => {
    const mw = rateLimit(1);
    expect(call(mw, '1.1.1.1').passed).toBe(true);
    expect(call(mw, '2.2.2.2').passed).toBe(true);
    expect(call(mw, '1.1.1.1').passed).toBe(false);
    expect(call(mw, '1.1.1.1', '/version').passed).toBe(true);
  });

  it('is off at 0', () => {
    const mw = rateLimit(0);
    for (let i = 0; i < 10; i++) expect(call(mw, '1.1.1.1').passed).toBe(true);
  });
});
