import { SandboxBusy } from '../contract/run-result';

const MiB = 1 << 20;

/**
 * Admits a /run before its body is read: room for one more run (running or waiting) and for
 * its binary in the memory set aside for binaries. Without it a few clients could make the
 * sandbox buffer gigabytes of uploads that the queue would then refuse.
 */
export class RunAdmission {
  private runs = 0;
  private bytes = 0;

  constructor(private readonly maxRuns: number, private readonly maxBytes: number) {}

  get admitted(): number {
    return this.runs;
  }

  get capacity(): number {
    return this.maxRuns;
  }

  /** Reserves room for a run whose binary takes up to `bytes`; returns the release (idempotent). */
  enter(bytes: number): () => void {
    if (this.runs >= this.maxRuns) {
      throw new SandboxBusy(`the sandbox is at capacity (${this.runs} runs running or waiting); try again shortly`);
    }
    if (this.bytes + bytes > this.maxBytes) {
      throw new SandboxBusy(`the sandbox holds as many binaries as it may (${(this.bytes / MiB).toFixed(1)} of ${(this.maxBytes / MiB).toFixed(0)} MiB); try again shortly`);
    }
    this.runs++;
    this.bytes += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.runs--;
      this.bytes -= bytes;
    };
  }
}
