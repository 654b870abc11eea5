/**
 * Bounds how many programs run at once; the rest wait in line, in order. How long the line may
 * get is RunAdmission's to decide, before a request's body is read.
 */
export class RunQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly maxConcurrent: number) {}

  get depth(): number {
    return this.waiting.length;
  }

  get active(): number {
    return this.running;
  }

  async schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    // An abort event never fires again for a signal that is already aborted.
    if (signal?.aborted) throw new Error('client went away before the run started');
    if (this.running < this.maxConcurrent) {
      this.running++;
    } else {
      await new Promise<void>((resolve, reject) => {
        const go = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = (): void => {
          const i = this.waiting.indexOf(go);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new Error('client went away while queued'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(go);
      }); // a finishing task hands its slot over, so running is not incremented here
    }
    return this.runTask(task);
  }

  private async runTask<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next in line
      else this.running--;
    }
  }
}
