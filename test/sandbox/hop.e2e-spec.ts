/**
 * The frontend-to-sandbox hop, on a real sandbox backend (Docker + runsc): every route but the
 * liveness probe needs the shared secret; a sandbox without one refuses to listen anywhere but
 * on loopback; /run decides on size and room before it reads a byte of the body, so clients
 * that start uploads and stall cannot make it hold more than SANDBOX_BINARY_MEMORY_MB; and
 * /metrics is not on this port.
 */
import * as http from 'http';
import { startStack, Stack, toSandbox } from '../support/stack';
import { request, Reply } from '../support/http';
import { buildGo } from '../support/go-build';
import { SandboxClient } from '../../src/frontend/sandbox-client/sandbox-client';
import { SandboxStatus } from '../../src/frontend/sandbox-client/sandbox-status';
import type { Settings } from '../../src/platform/config/settings';

const MiB = 1 << 20;

let stack: Stack;
let hello: Buffer;

beforeAll(async () => {
  hello = await buildGo('package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hop") }\n');
  // Two runs admitted at most (one running, one waiting); 64 MiB for binaries, which is just
  // one largest binary (/tmp is 64 MiB, so a run takes at most 63 MiB).
  stack = await startStack({
    sandboxOnly: true,
    env: { SANDBOX_MAX_CONCURRENT_RUNS: '1', SANDBOX_QUEUE_LIMIT: '1', SANDBOX_BINARY_MEMORY_MB: '64' },
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

/**
 * A /run that declares `declared` bytes (or none: chunked), sends the first 64 KiB and then
 * stalls. `answer` settles if the sandbox answers before the body is complete.
 */
function stalledUpload(declared: number | null): { answer: Promise<Reply>; abort(): void } {
  const abort = new AbortController();
  const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${stack.sandboxToken}` };
  if (declared !== null) headers['Content-Length'] = String(declared);
  const answer = new Promise<Reply>((resolve, reject) => {
    const began = process.hrtime.bigint();
    const req = http.request(`${stack.sandboxUrl}/run`, { method: 'POST', headers, signal: abort.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, ms: Number(process.hrtime.bigint() - began) / 1e6, json: () => JSON.parse(text) });
        req.destroy();
      });
    });
    req.on('error', (e) => reject(e));
    req.write(Buffer.alloc(64 << 10, 1));
  });
  answer.catch(() => undefined);
  return { answer, abort: () => abort.abort() };
}

/** The answer, or 'no answer' if none came within `ms`. */
function within(ms: number, p: Promise<Reply>): Promise<Reply | 'no answer'> {
  return Promise.race([p, new Promise<'no answer'>((r) => setTimeout(() => r('no answer'), ms))]);
}

async function runsHello(): Promise<void> {
  const r = await toSandbox(stack, '/run', { method: 'POST', body: hello, headers: { 'Content-Type': 'application/octet-stream' } });
  expect(r.status).toBe(200);
  expect(Buffer.from(r.json<{ stdout: string }>().stdout, 'base64').toString()).toContain('hop\n');
}

describe('the sandbox\'s credential', () => {
  // The start-up refusals below change settings in the environment; the stack above is running.
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => { saved = { ...process.env }; });
  afterEach(() => { process.env = saved; });

  it('every route but /livez refuses a request without the secret, or with another one, with 401', async () => {
    const wrong = { Authorization: `Bearer ${stack.sandboxToken}x` };
    const routes: Array<[string, string, Buffer | string | undefined]> = [
      ['POST', '/run', hello],
      ['GET', '/status', undefined],
      ['GET', '/healthz', undefined],
      ['POST', '/pools/legacy', '{"drained":true}'],
    ];
    for (const [method, p, body] of routes) {
      for (const headers of [{}, wrong, { Authorization: stack.sandboxToken }, { Cookie: `token=${stack.sandboxToken}` }]) {
        const r = await request(`${stack.sandboxUrl}${p}`, { method, body, headers: { 'Content-Type': p === '/pools/legacy' ? 'application/json' : 'application/octet-stream', ...headers } });
        expect({ route: `${method} ${p}`, status: r.status }).toEqual({ route: `${method} ${p}`, status: 401 });
        expect(r.text).toMatch(/send Authorization: Bearer <SANDBOX_TOKEN>/);
        expect(r.text).not.toContain(stack.sandboxToken);
      }
    }
    // The legacy pools were not drained by any of that.
    const status = (await toSandbox(stack, '/status')).json<{ runners: Array<{ legacy: boolean; poolReady: number }> }>();
    expect(status.runners.length).toBeGreaterThan(0);
    const live = await request(`${stack.sandboxUrl}/livez`);
    expect({ status: live.status, body: live.json() }).toEqual({ status: 200, body: { ok: true } });
  });

  it('with the secret, the routes work', async () => {
    await runsHello();
    expect((await toSandbox(stack, '/status')).status).toBe(200);
  });

  it('a sandbox without SANDBOX_TOKEN refuses to start on an address that is not loopback', async () => {
    // 192.0.2.1 (TEST-NET-1) is on no interface here: nothing could listen there anyway, so the
    // refusal must come, with its reason, before any attempt to listen.
    await expect(startStack({ sandboxOnly: true, env: { SANDBOX_HOST: '192.0.2.1', SANDBOX_TOKEN: '' } })).rejects.toThrow(
      /SANDBOX_HOST=192\.0\.2\.1 is not a loopback address: set SANDBOX_TOKEN/,
    );
  });

  it('refuses a SANDBOX_TOKEN shorter than 16 characters at start-up', async () => {
    await expect(startStack({ sandboxOnly: true, env: { SANDBOX_TOKEN: 'short' } })).rejects.toThrow(/SANDBOX_TOKEN: must be empty or at least 16 characters/);
  });
});

describe('/run decides before it reads the body', () => {
  it('a declared size past what /tmp holds: 413 at once, naming the limit', async () => {
    const r = await within(5_000, stalledUpload(70 * MiB).answer);
    expect(r).not.toBe('no answer');
    expect((r as Reply).status).toBe(413);
    expect((r as Reply).text).toMatch(/binary too large: 73400320 bytes exceeds the limit of 66060288/);
  });

  it('a binary that would pass the memory for binaries: 503 at once, while another upload holds it', async () => {
    const holder = stalledUpload(60 * MiB); // admitted: holds 60 of the 64 MiB
    await new Promise((r) => setTimeout(r, 300));
    const refused = await within(5_000, stalledUpload(10 * MiB).answer);
    expect(refused).not.toBe('no answer');
    expect((refused as Reply).status).toBe(503);
    expect((refused as Reply).text).toMatch(/the sandbox holds as many binaries as it may/);
    // A chunked upload (no Content-Length) reserves the largest binary, so it is refused too.
    const chunked = await within(5_000, stalledUpload(null).answer);
    expect(chunked !== 'no answer' && chunked.status).toBe(503);
    holder.abort();
    // The stalled upload's reservation is released when its client goes.
    await retry(runsHello, 5_000);
  });

  it('past the runs it may admit (running + queue): 503 at once, without reading', async () => {
    const holders = [stalledUpload(MiB), stalledUpload(MiB)];
    await new Promise((r) => setTimeout(r, 300));
    const refused = await within(5_000, stalledUpload(MiB).answer);
    expect(refused).not.toBe('no answer');
    expect((refused as Reply).status).toBe(503);
    expect((refused as Reply).text).toMatch(/the sandbox is at capacity \(2 runs running or waiting\)/);
    holders.forEach((h) => h.abort());
    await retry(runsHello, 5_000);
  });

  it('the frontend\'s client turns that 413 into the program\'s answer (an error, no 5xx) when it does not know the limit yet', async () => {
    const settings = { get: (name: string) => ({ SANDBOX_URL: stack.sandboxUrl, SANDBOX_TOKEN: stack.sandboxToken, SANDBOX_RUN_TIMEOUT_MS: 5000 } as Record<string, unknown>)[name] } as unknown as Settings;
    const status = new SandboxStatus(settings);
    await status.refresh();
    // As a host whose status did not carry the limit (an older sandbox) would be seen.
    const host = status.hosts[0];
    const reported = host.maxBinaryBytes.bind(host);
    host.maxBinaryBytes = () => null;
    const r = await new SandboxClient(settings, status).run(Buffer.alloc(70 * MiB), []);
    expect(r).toEqual({ error: 'binary too large: 73400320 bytes exceeds the limit of 66060288', exitCode: -1, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) });
    // Knowing the limit (from /status), it does not send such a binary at all.
    host.maxBinaryBytes = reported;
    const k = await new SandboxClient(settings, status).run(Buffer.alloc(70 * MiB), []);
    expect(k.error).toBe('binary too large: 73400320 bytes exceeds the sandbox\'s limit of 66060288');
  });

  it('reports the largest binary it takes in /status, for the frontend', async () => {
    const s = (await toSandbox(stack, '/status')).json<{ maxBinaryBytes: number }>();
    expect(s.maxBinaryBytes).toBe(63 * MiB);
  });
});

describe('/metrics', () => {
  it('is not on the sandbox\'s port, with or without the secret, but on its operations listener', async () => {
    expect((await toSandbox(stack, '/metrics')).status).toBe(404);
    const r = await request(`${stack.sandboxOpsUrl}/metrics`);
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^sandbox_pool_ready\{pool="gvisor"\} \d+$/m);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });
});

/** Retries `check` until it passes or `ms` have gone by (then its last failure is thrown). */
async function retry(check: () => Promise<void>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
