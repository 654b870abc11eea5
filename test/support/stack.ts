import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { CompileResponse, LINUX_AMD64, output, postCompile } from './compile';
import { freePort, Reply, request, RequestOptions, sleep } from './http';

export interface Stack {
  sandboxUrl: string;
  frontendUrl: string;
  /** The shared secret of the frontend-to-sandbox hop (SANDBOX_TOKEN). */
  sandboxToken: string;
  /** The operations listeners (/metrics) of the two processes. */
  sandboxOpsUrl: string;
  frontendOpsUrl: string;
  /** Admin tokens configured for this stack. */
  tokens: { releaseManager: string; viewer: string };
  dataDir: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Extra settings (environment variables) for this stack. */
  env?: Record<string, string>;
  /** Start only the sandbox backend. */
  sandboxOnly?: boolean;
}

/**
 * Boots the real sandbox backend (Docker Engine + runsc) and the real frontend (Go toolchain,
 * SQLite) in this process on free loopback ports, with their own container prefix and data dir.
 * Settings are read when the modules load, so the environment is set before they are imported.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'play-stack-'));
  const tokens = { releaseManager: `rm-${process.pid}-${Date.now()}`, viewer: `viewer-${process.pid}-${Date.now()}` };
  Object.assign(process.env, {
    SANDBOX_TOKEN: `sandbox-${randomBytes(16).toString('hex')}`,
    SANDBOX_OPS_PORT: '0',
    FRONTEND_OPS_PORT: '0',
    SANDBOX_PORT: '0',
    SANDBOX_CONTAINER_PREFIX: `play_test_${process.pid}_`,
    SANDBOX_POOL_SIZE: '2',
    FRONTEND_PORT: '0',
    DATABASE_PATH: path.join(dataDir, 'playground.sqlite'),
    RATE_LIMIT_PER_MINUTE: '0',
    ADMIN_TOKENS: `${tokens.releaseManager}:release-manager:alice,${tokens.viewer}:viewer:victor`,
    ...options.env,
  });
  const apps: INestApplication[] = [];
  const stop = async (): Promise<void> => {
    for (const app of apps.reverse()) await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const { startSandbox } = await import('../../src/sandbox/main');
    const { OpsListener } = await import('../../src/platform/metrics/ops-listener');
    const sandbox = await startSandbox();
    apps.push(sandbox);
    const sandboxUrl = (await sandbox.getUrl()).replace('[::1]', '127.0.0.1');
    const sandboxOpsUrl = await sandbox.get(OpsListener).url();
    let frontendUrl = '';
    let frontendOpsUrl = '';
    if (!options.sandboxOnly) {
      process.env.SANDBOX_URL = sandboxUrl;
      const { startFrontend } = await import('../../src/frontend/main');
      const frontend = await startFrontend();
      apps.push(frontend);
      frontendUrl = (await frontend.getUrl()).replace('[::1]', '127.0.0.1');
      frontendOpsUrl = await frontend.get(OpsListener).url();
    }
    return { sandboxUrl, frontendUrl, sandboxToken: process.env.SANDBOX_TOKEN!, sandboxOpsUrl, frontendOpsUrl, tokens, dataDir, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** A request to the stack's sandbox backend with the frontend's credential, as the frontend sends it. */
export function toSandbox(stack: Pick<Stack, 'sandboxUrl' | 'sandboxToken'>, path: string, opts: RequestOptions = {}): Promise<Reply> {
  return request(`${stack.sandboxUrl}${path}`, { ...opts, headers: { Authorization: `Bearer ${stack.sandboxToken}`, ...opts.headers } });
}

/**
 * startStack with the frontend pointed explicitly at this stack's own sandbox: the sandbox port
 * is chosen up front and SANDBOX_URL set with it, so the frontend can never reach another
 * sandbox, e.g. a developer's service on the default 127.0.0.1:8081 (which is what happened
 * while settings were read once per process, before they were read per application).
 * Rate limiting is off: a spec sends more requests than a person would. Returns once a hello
 * program has run on linux-amd64.
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
    if (r.status === 200 && r.headers['x-playground-backend'] === LINUX_AMD64 && output(r.json<CompileResponse>()) === 'warm-up\n') return stack;
    if (Date.now() > deadline || (r.status !== 503 && r.status !== 200)) {
      await stack.stop();
      throw new Error(`the stack never ran a hello program: ${r.status} ${r.text.slice(0, 300)}`);
    }
    await sleep(250);
  }
}
