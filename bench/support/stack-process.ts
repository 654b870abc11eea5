/**
 * The stack (sandbox, and frontend unless sandbox only) in a child process, so that a benchmark's
 * load generator does not share an event loop with the server; on 2 cores they do share the CPU.
 * The child runs ./stack-child.ts under ./register-ts.js; its stdout is dropped, its stderr shown.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { sleep } from '../../test/support/http';
import { processCpuMs } from './proc';

const ROOT = path.resolve(__dirname, '..', '..');
const REGISTER_TS = path.join(__dirname, 'register-ts.js');
const CHILD = path.join(__dirname, 'stack-child.ts');

/**
 * What the child starts: `frontend`, startFrontendStack (the frontend pointed at the stack's own
 * sandbox on a port chosen up front, rate limiting off, ready once a hello program has run);
 * `full`, startStack() (ready once both listen); `sandbox`, startStack({ sandboxOnly: true }).
 */
/** The environment variable that carries StackProcessOptions.env to the child. */
export const STACK_SETTINGS = 'BENCH_STACK_SETTINGS';

export type StackKind = 'frontend' | 'full' | 'sandbox';

/** What the child reports once its stack is up. */
export interface StackReady {
  frontendUrl: string;
  sandboxUrl: string;
  /** The frontend-to-sandbox credential, for requests straight to the sandbox. */
  sandboxToken: string;
  /** The sandbox's operations listener (/metrics). */
  sandboxOpsUrl: string;
  tokens: { releaseManager: string; viewer: string };
}

export interface StackProcessOptions {
  /** Settings for the stack: they win over startStack's own (its token, container prefix, pool size). */
  env?: Record<string, string>;
  /** How long stop() waits for the child to stop its stack before it kills it. */
  stopTimeoutMs?: number;
}

export class StackProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly stopTimeoutMs: number,
    readonly frontendUrl: string,
    readonly sandboxUrl: string,
    readonly sandboxToken: string,
    readonly sandboxOpsUrl: string,
    readonly tokens: StackReady['tokens'],
  ) {}

  /** Headers that let a request straight to the sandbox in, as the frontend's do. */
  get sandboxAuth(): Record<string, string> {
    return { Authorization: `Bearer ${this.sandboxToken}` };
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** CPU seconds (user + system) the stack's process has used so far, from /proc (Linux). */
  cpuSeconds(): number {
    return processCpuMs(this.pid).own / 1000;
  }

  static start(kind: StackKind, opts: StackProcessOptions = {}): Promise<StackProcess> {
    const child = spawn(process.execPath, ['-r', REGISTER_TS, CHILD, kind], {
      cwd: ROOT,
      env: { ...process.env, [STACK_SETTINGS]: JSON.stringify(opts.env ?? {}) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('message', (m: StackReady) => resolve(new StackProcess(child, opts.stopTimeoutMs ?? 30_000, m.frontendUrl, m.sandboxUrl, m.sandboxToken, m.sandboxOpsUrl, m.tokens)));
      child.once('exit', (code) => reject(new Error(`the stack exited (${code}) before it was ready`)));
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send('stop');
    await Promise.race([exited, sleep(this.stopTimeoutMs)]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
