/**
 * Both processes log JSON lines; a request's id (the client's X-Request-Id when it is sane)
 * goes with the run to the sandbox, whose access line names it; secrets never reach a line.
 * The real stack (frontend and sandbox in this process, Docker with runsc), everything they
 * write to stdout captured.
 */
import { randomBytes } from 'crypto';
import type { Stack } from '../support/stack';
import { startFrontendStack } from '../support/stack';
import { request } from '../support/http';
import { LINUX_AMD64 } from '../support/compile';
import { adminAt } from './support';

let stack: Stack;
let out = '';
let restore: (() => void) | undefined;

beforeAll(async () => {
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    return write(chunk, ...rest);
  }) as typeof process.stdout.write;
  restore = () => { process.stdout.write = write as typeof process.stdout.write; };
  stack = await startFrontendStack();
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  restore?.();
}, 60_000);

type Line = Record<string, unknown>;

function lines(): Line[] {
  return out.split('\n').filter(Boolean).map((l) => {
    try {
      return JSON.parse(l) as Line;
    } catch {
      throw new Error(`a log line that is not JSON: ${l.slice(0, 200)}`);
    }
  });
}

async function waitForLine(what: string, match: (l: Line) => boolean): Promise<Line> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = lines().find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no log line for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const program = (n: number) => `package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("request id ${n} ${process.pid}") }\n`;

function compile(source: string, headers: Record<string, string> = {}) {
  return request(`${stack.frontendUrl}/compile`, { method: 'POST', body: JSON.stringify({ Body: source }), headers: { 'Content-Type': 'application/json', 'X-Playground-Backend': LINUX_AMD64, ...headers } });
}

describe('structured logs', () => {
  it('a /compile\'s id, the client\'s own, is in the frontend\'s access line and in the sandbox\'s for its run', async () => {
    const id = `client-${randomBytes(6).toString('hex')}`;
    const r = await compile(program(1), { 'X-Request-Id': id });
    expect(r.status).toBe(200);
    expect(r.headers['x-request-id']).toBe(id);
    const front = await waitForLine('the frontend\'s /compile', (l) => l.msg === 'request' && l.path === '/compile' && l.reqId === id);
    expect(front).toMatchObject({ level: 'info', method: 'POST', status: 200, ms: expect.any(Number) });
    const run = await waitForLine('the sandbox\'s /run', (l) => l.msg === 'request' && l.path === '/run' && l.reqId === id);
    expect(run).toMatchObject({ level: 'info', method: 'POST', status: 200 });
    // The run was logged before the answer that waited for it.
    const all = lines();
    expect(all.findIndex((l) => l.path === '/run' && l.reqId === id)).toBeLessThan(all.findIndex((l) => l.path === '/compile' && l.reqId === id));
  }, 120_000);

  it('a request without an id gets one, which its sandbox run carries too', async () => {
    const r = await compile(program(2), { 'X-Request-Id': 'not sane: spaces' });
    expect(r.status).toBe(200);
    const id = r.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await waitForLine('the sandbox\'s /run', (l) => l.path === '/run' && l.reqId === id);
  }, 120_000);

  it('no token reaches a line: the hop\'s secret, admin tokens in the Authorization header or the query', async () => {
    const wrong = `rm-${randomBytes(18).toString('hex')}`;
    for (const token of [stack.tokens.releaseManager, stack.tokens.viewer, wrong]) {
      await adminAt(stack.frontendUrl, 'GET', `/admin/api/state?token=${token}`, token);
    }
    await adminAt(stack.frontendUrl, 'PATCH', '/admin/api/flags', stack.tokens.releaseManager, { shadowPercent: 0, reason: 'logs: a change' });
    await compile(program(3), { Authorization: `Bearer ${wrong}` });
    await waitForLine('the flags change', (l) => l.msg === 'request' && l.path === '/admin/api/flags' && l.status === 200);
    const all = lines();
    expect(all.filter((l) => l.path === '/admin/api/state').map((l) => l.status).sort()).toEqual([200, 200, 401]);
    for (const secret of [stack.sandboxToken, stack.tokens.releaseManager, stack.tokens.viewer, wrong]) {
      expect(out.includes(secret)).toBe(false);
      expect(out.includes(secret.slice(8, 30))).toBe(false);
    }
    // Every line of both processes is JSON with a time and a level.
    for (const l of all) expect(l).toEqual(expect.objectContaining({ time: expect.any(String), level: expect.stringMatching(/^(info|warn|error|fatal)$/) }));
  }, 120_000);
});
