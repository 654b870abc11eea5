import { Injectable } from '@nestjs/common';
import { Settings } from '../config/settings';
import { RunResult, SandboxFailure } from '../sandbox/run-result';
import { SandboxEndpoint } from './sandbox-endpoint';
import { SandboxStatus } from './sandbox-status';

/** Headroom for queueing and transfer on top of the sandbox's own run timeout. */
const CLIENT_SLACK_MS = 60_000;

/**
 * A binary the sandbox cannot hold is the program's answer, like a binary too large at build
 * time: the contract's 200 with Errors, never a 5xx.
 */
function tooLarge(message: string): RunResult {
  return { error: message, exitCode: -1, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
}

/** Talks to the sandbox backend's POST /run over HTTP, as play.golang.org's frontend does. */
@Injectable()
export class SandboxClient {
  private readonly sandbox: SandboxEndpoint;
  private readonly timeoutMs: number;

  constructor(settings: Settings, private readonly status: SandboxStatus) {
    this.sandbox = new SandboxEndpoint(settings);
    this.timeoutMs = settings.get('SANDBOX_RUN_TIMEOUT_MS') + CLIENT_SLACK_MS;
  }

  async run(binary: Buffer, args: string[]): Promise<RunResult> {
    const limit = this.status.maxBinaryBytes();
    if (limit !== null && binary.length > limit) {
      return tooLarge(`binary too large: ${binary.length} bytes exceeds the sandbox's limit of ${limit}`);
    }
    const headers = new Headers({ 'Content-Type': 'application/octet-stream' });
    for (const a of args) headers.append('X-Argument', a);
    let res: Response;
    try {
      res = await this.sandbox.fetch('/run', { method: 'POST', body: binary, headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new SandboxFailure(`sandbox backend unreachable at ${this.sandbox.url}: ${(e as Error).cause ? String((e as Error).cause) : (e as Error).message}`);
    }
    const text = await res.text();
    let body: { error?: string; message?: string; exitCode?: number; stdout?: string; stderr?: string; timedOut?: boolean };
    try {
      body = JSON.parse(text);
    } catch {
      throw new SandboxFailure(`sandbox backend answered ${res.status} with something that is not JSON`);
    }
    // The sandbox's limit may be lower than the last status said (it restarted with another).
    if (res.status === 413) return tooLarge(body.message ?? `binary too large: ${binary.length} bytes`);
    if (!res.ok) throw new SandboxFailure(`sandbox backend answered ${res.status}: ${body.error ?? body.message ?? text.slice(0, 200)}`);
    return {
      ...(body.error ? { error: body.error } : {}),
      exitCode: body.exitCode ?? -1,
      stdout: Buffer.from(body.stdout ?? '', 'base64'),
      stderr: Buffer.from(body.stderr ?? '', 'base64'),
      ...(body.timedOut === true ? { timedOut: true } : {}),
    };
  }

  /** The sandbox's own health check (it runs a real container). */
  async health(): Promise<{ ok: boolean; detail: unknown }> {
    try {
      const res = await this.sandbox.fetch('/healthz', { signal: AbortSignal.timeout(15_000) });
      return { ok: res.ok, detail: await res.json() };
    } catch (e) {
      return { ok: false, detail: `sandbox backend unreachable at ${this.sandbox.url}: ${(e as Error).message}` };
    }
  }
}
