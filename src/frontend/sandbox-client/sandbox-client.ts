import { Injectable } from '@nestjs/common';
import { Settings } from '../../platform/config/settings';
import { NOT_STARTED_HEADER, RunResult, SandboxFailure } from '../../contract/run-result';
import { SandboxHost } from './sandbox-host';
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

/** Talks to the sandbox hosts' POST /run over HTTP, as play.golang.org's frontend does. */
@Injectable()
export class SandboxClient {
  private readonly timeoutMs: number;

  constructor(settings: Settings, private readonly status: SandboxStatus) {
    this.timeoutMs = settings.get('SANDBOX_RUN_TIMEOUT_MS') + CLIENT_SLACK_MS;
  }

  /**
   * Runs the binary on the least loaded host that can take `runnerId`'s programs. A host that
   * provably never started it (the connection refused, or the host said so: a full queue, a
   * drain) is passed over and the next one tried; once a host may have started the program, its
   * answer or failure is final, so no program ever runs twice.
   */
  async run(binary: Buffer, args: string[], runnerId?: string): Promise<RunResult> {
    const tried = new Set<SandboxHost>();
    let refused = 'no sandbox host is up';
    for (let host = this.status.pick(runnerId, tried); host; host = this.status.pick(runnerId, tried)) {
      tried.add(host);
      const attempt = await host.track(() => this.runOn(host!, binary, args));
      if (attempt.kind === 'done') return attempt.result;
      // A full queue is a moment's state: only this run looks elsewhere. A host that is down or
      // draining is passed over by every run until its status says otherwise.
      if (!attempt.busy) host.passOver(attempt.why);
      refused = attempt.why;
    }
    throw new SandboxFailure(tried.size > 1 ? `no sandbox host could take the run (last: ${refused})` : refused);
  }

  private async runOn(host: SandboxHost, binary: Buffer, args: string[]): Promise<{ kind: 'done'; result: RunResult } | { kind: 'not-started'; why: string; busy: boolean }> {
    const limit = host.maxBinaryBytes();
    if (limit !== null && binary.length > limit) {
      return { kind: 'done', result: tooLarge(`binary too large: ${binary.length} bytes exceeds the sandbox's limit of ${limit}`) };
    }
    const headers = new Headers({ 'Content-Type': 'application/octet-stream' });
    for (const a of args) headers.append('X-Argument', a);
    let res: Response;
    try {
      res = await host.endpoint.fetch('/run', { method: 'POST', body: binary, headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const why = `sandbox backend unreachable at ${host.url}: ${describe(e)}`;
      if (neverConnected(e)) return { kind: 'not-started', why, busy: false };
      throw new SandboxFailure(why);
    }
    const text = await res.text();
    let body: { error?: string; message?: string; exitCode?: number; stdout?: string; stderr?: string; timedOut?: boolean };
    try {
      body = JSON.parse(text);
    } catch {
      throw new SandboxFailure(`sandbox backend answered ${res.status} with something that is not JSON`);
    }
    const notStarted = res.headers.get(NOT_STARTED_HEADER);
    if (notStarted) {
      return { kind: 'not-started', why: `sandbox host ${host.url} answered ${res.status}: ${body.error ?? body.message ?? 'not started'}`, busy: notStarted === 'busy' };
    }
    // The sandbox's limit may be lower than the last status said (it restarted with another).
    if (res.status === 413) return { kind: 'done', result: tooLarge(body.message ?? `binary too large: ${binary.length} bytes`) };
    if (!res.ok) throw new SandboxFailure(`sandbox backend answered ${res.status}: ${body.error ?? body.message ?? text.slice(0, 200)}`);
    return {
      kind: 'done',
      result: {
        ...(body.error ? { error: body.error } : {}),
        exitCode: body.exitCode ?? -1,
        stdout: Buffer.from(body.stdout ?? '', 'base64'),
        stderr: Buffer.from(body.stderr ?? '', 'base64'),
        ...(body.timedOut === true ? { timedOut: true } : {}),
      },
    };
  }

  /** Every host's own health check (each runs a real container). */
  async health(): Promise<{ ok: boolean; hosts: unknown[] }> {
    const hosts = await Promise.all(this.status.hosts.map(async (h) => {
      try {
        const res = await h.endpoint.fetch('/healthz', { signal: AbortSignal.timeout(15_000) });
        return { url: h.url, ok: res.ok, detail: await res.json() };
      } catch (e) {
        return { url: h.url, ok: false, detail: `sandbox backend unreachable at ${h.url}: ${(e as Error).message}` };
      }
    }));
    return { ok: hosts.some((h) => h.ok), hosts };
  }
}

/** Failures of the connection itself: not one byte of the request reached the host. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

function neverConnected(e: unknown): boolean {
  const code = ((e as Error).cause as { code?: string } | undefined)?.code;
  return code !== undefined && CONNECT_ERRORS.has(code);
}

function describe(e: unknown): string {
  return (e as Error).cause ? String((e as Error).cause) : (e as Error).message;
}
