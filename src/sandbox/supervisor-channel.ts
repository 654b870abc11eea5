import { randomBytes } from 'crypto';
import { RunResult, SandboxFailure } from '../contract/run-result';
import { ResultLineReader } from './result-line';
import type { SandboxLimits } from './container-spec';

/** What a result line may take: both streams at the output limit, base64 (4/3), plus the JSON around them. */
export function maxResultBytes(limits: SandboxLimits): number {
  return Math.ceil((limits.outputLimitBytes * 2 * 4) / 3) + (64 << 10);
}

/**
 * The host's side of the conversation with one supervisor, whatever carries it: the request it
 * writes, and the one result line it takes from the sandbox's stdout.
 */
export class SupervisorChannel {
  /** Known only to us and the supervisor: marks the one genuine result line. */
  private readonly nonce = randomBytes(16).toString('hex');
  private readonly resultLine: ResultLineReader;
  private settledAlready = false;
  private resolveResult!: (r: RunResult) => void;
  private rejectResult!: (e: Error) => void;
  readonly result: Promise<RunResult>;

  /** maxResultBytes: what the result line may take (both streams, base64); past it the run fails. */
  constructor(maxResultBytes: number) {
    this.resultLine = new ResultLineReader(this.nonce, maxResultBytes);
    this.result = new Promise<RunResult>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    this.result.catch(() => undefined); // observed by whoever runs a program; idle deaths are fine
  }

  get settled(): boolean {
    return this.settledAlready;
  }

  /** The request header and binary, in the supervisor's format. */
  request(binary: Buffer, args: string[], loader: string[]): Buffer[] {
    const header = JSON.stringify({ nonce: this.nonce, args, size: binary.length, loader });
    return [Buffer.from(header + '\n'), binary];
  }

  /** Takes the next chunk of the supervisor's stdout. */
  onStdout(chunk: Buffer): void {
    if (this.settledAlready) return;
    const line = this.resultLine.push(chunk);
    if (line === 'too-large') this.fail('sandbox result line too large');
    else if (line !== null) this.accept(line);
  }

  fail(reason: string): void {
    if (this.settledAlready) return;
    this.settledAlready = true;
    this.rejectResult(new SandboxFailure(reason));
  }

  private accept(json: string): void {
    try {
      const raw = JSON.parse(json) as { error?: string; exitCode: number; stdout: string; stderr: string; timedOut?: boolean };
      if (raw.error?.startsWith('internal: ')) {
        this.fail(`sandbox supervisor failed: ${raw.error.slice(10)}`);
        return;
      }
      this.settledAlready = true;
      this.resolveResult({
        ...(raw.error ? { error: raw.error } : {}),
        exitCode: raw.exitCode,
        stdout: Buffer.from(raw.stdout ?? '', 'base64'),
        stderr: Buffer.from(raw.stderr ?? '', 'base64'),
        ...(raw.timedOut ? { timedOut: true } : {}),
      });
    } catch {
      // Not quoted: the result line carries the program's output.
      this.fail(`sandbox supervisor sent an unreadable result (${json.length} characters)`);
    }
  }
}
