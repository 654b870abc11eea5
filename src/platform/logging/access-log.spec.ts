import 'reflect-metadata';
import { Body, Controller, Get, INestApplication, Logger, Module, Post, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as http from 'http';
import { accessLog } from './access-log';
import { jsonLogger } from './json-log';
import { currentRequestId } from './request-id';

// A small Nest application on loopback with the two processes' logging: JSON lines on stdout,
// an access line per request, the request id in every line written for it; and no secret sent
// in a header, the query or the body ever reaches a line.

const SECRET = `s3cret-${process.pid}-${Date.now()}-token-value`;

@Controller()
class ProbeController {
  private readonly log = new Logger('probe');

  @Get('hello')
  hello(@Query('name') name: string) {
    this.log.log(`hello for ${name === SECRET ? 'a caller' : 'someone'}`);
    return { id: currentRequestId() };
  }

  @Post('change')
  change(@Body() body: unknown) {
    this.log.warn(`a change of ${JSON.stringify(body).length} bytes`);
    return { ok: true };
  }

  @Get('boom')
  boom(): never {
    throw new Error('probe failure');
  }

  /** Answers after the client has gone. */
  @Get('slow')
  async slow() {
    await new Promise((r) => setTimeout(r, 300));
    return { late: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

let app: INestApplication;
let port: number;
let out = '';
let restore: () => void;

beforeAll(async () => {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  restore = () => { process.stdout.write = write as typeof process.stdout.write; };
  app = await NestFactory.create(ProbeModule, { logger: jsonLogger, abortOnError: false });
  app.use(accessLog());
  await app.listen(0, '127.0.0.1');
  port = (app.getHttpServer().address() as { port: number }).port;
});

afterAll(async () => {
  await app?.close();
  restore?.();
});

interface Answer { status: number; headers: http.IncomingHttpHeaders; text: string }

function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: body === undefined ? headers : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString('utf8'); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Every line written so far, each parsed (a line that is not JSON fails the test). */
function lines(): Array<Record<string, unknown>> {
  return out.split('\n').filter(Boolean).map((l) => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      throw new Error(`not a JSON line: ${l}`);
    }
  });
}

async function accessLine(reqId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 50; i++) {
    const found = lines().find((l) => l.msg === 'request' && l.reqId === reqId);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no access line for ${reqId}`);
}

it('writes JSON lines, Nest\'s own included', () => {
  const started = lines().find((l) => l.msg === 'Nest application successfully started');
  expect(started).toMatchObject({ level: 'info', context: 'NestApplication', pid: process.pid });
  expect(new Date(String(started!.time)).getTime()).toBeGreaterThan(Date.now() - 60_000);
});

it('gives a request an id, answers with it, and writes one access line with it', async () => {
  const res = await send('GET', '/hello?name=x');
  const id = res.headers['x-request-id'] as string;
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  expect(JSON.parse(res.text)).toEqual({ id });
  const line = await accessLine(id);
  expect(line).toEqual({ level: 'info', time: expect.any(String), pid: process.pid, reqId: id, method: 'GET', path: '/hello', status: 200, ms: expect.any(Number), msg: 'request' });
  expect(lines().filter((l) => l.reqId === id && l.msg === 'request')).toHaveLength(1);
  // What the handler logged carries the id too.
  expect(lines()).toContainEqual(expect.objectContaining({ reqId: id, context: 'probe', msg: 'hello for someone' }));
});

it('keeps a sane incoming X-Request-Id and replaces one that is not', async () => {
  expect((await send('GET', '/hello', { 'X-Request-Id': 'lb-4711.a:b_c-d' })).headers['x-request-id']).toBe('lb-4711.a:b_c-d');
  await accessLine('lb-4711.a:b_c-d');
  for (const bad of ['has space', 'x'.repeat(200), 'new\\nline', '"quoted"', '']) {
    const id = (await send('GET', '/hello', { 'X-Request-Id': bad })).headers['x-request-id'] as string;
    expect({ bad, id: /^[0-9a-f-]{36}$/.test(id) }).toEqual({ bad, id: true });
  }
});

it('logs a failure as an error line with the status, and an abandoned request as such', async () => {
  const res = await send('GET', '/boom');
  expect(res.status).toBe(500);
  const id = res.headers['x-request-id'] as string;
  expect(await accessLine(id)).toMatchObject({ level: 'error', status: 500, path: '/boom' });
  expect(lines()).toContainEqual(expect.objectContaining({ level: 'error', reqId: id, context: 'ExceptionsHandler', msg: 'probe failure', stack: expect.stringContaining('probe failure') }));

  await new Promise<void>((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/slow', headers: { 'X-Request-Id': 'gone-early' } });
    req.on('error', () => resolve());
    req.end();
    setTimeout(() => { req.destroy(); resolve(); }, 50);
  });
  await new Promise((r) => setTimeout(r, 400));
  expect(await accessLine('gone-early')).toMatchObject({ path: '/slow', abandoned: true });
});

it('never writes a secret sent in a header, a cookie, the query or the body', async () => {
  const before = out.length;
  await send('GET', `/hello?name=${SECRET}&token=${SECRET}`, { Authorization: `Bearer ${SECRET}`, Cookie: `session=${SECRET}`, 'X-Api-Key': SECRET });
  await send('POST', `/change?access_token=${SECRET}`, { Authorization: `Basic ${Buffer.from(`alice:${SECRET}`).toString('base64')}` }, JSON.stringify({ reason: SECRET, token: SECRET }));
  await send('GET', `/no-such-route/${'x'.repeat(10)}?key=${SECRET}`, { Authorization: `Bearer ${SECRET}` });
  await new Promise((r) => setTimeout(r, 50));
  const written = out.slice(before);
  // The requests were logged (the check below cannot pass by logging nothing)...
  expect(written.split('\n').filter((l) => l.includes('"msg":"request"'))).toHaveLength(3);
  expect(written).toContain('"path":"/change"');
  // ...and nothing of the secret, nor its base64, reached a line.
  for (const s of [SECRET, SECRET.slice(6, 30), Buffer.from(`alice:${SECRET}`).toString('base64').slice(4, 30)]) expect(written.includes(s)).toBe(false);
});
