/** Thrown when more tasks wait than the queue allows. */
export class QueueFull extends Error {}

export interface QueueOptions {
  /** How many may wait for a slot; one more is refused with `full`. Unbounded by default. */
  maxWaiting?: number;
  /** The error for a task refused because the line is full, in the caller's words. */
  full?: (waiting: number) => Error;
}

/**
 * Bounds how many tasks run at once; the rest wait in line, in order, urgent ones ahead of
 * background ones. The sandbox service runs programs through one (how long its line may get is
 * RunAdmission's to decide, before a request's body is read), the frontend its builds (more
 * CPU-bound builds at once only slow all of them; public requests go ahead of dual-run shadows).
 */
export class BoundedQueue {
  private running = 0;
  private readonly waiting: { urgent: Array<() => void>; background: Array<() => void> } = { urgent: [], background: [] };
  private readonly maxWaiting: number;
  private readonly full: (waiting: number) => Error;

  constructor(private readonly maxConcurrent: number, options: QueueOptions = {}) {
    this.maxWaiting = options.maxWaiting ?? Infinity;
    this.full = options.full ?? ((n) => new QueueFull(`${n} tasks already waiting`));
  }

  /** Tasks waiting for a slot. */
  get depth(): number {
    return this.waiting.urgent.length + this.waiting.background.length;
  }

  /** Tasks holding a slot. */
  get active(): number {
    return this.running;
  }

  /** Runs `task` once a slot is free; a task whose `signal` aborts while it waits is dropped unrun. */
  async run<T>(task: () => Promise<T>, opts: { background?: boolean; signal?: AbortSignal } = {}): Promise<T> {
    const { signal } = opts;
    // An abort event never fires again for a signal that is already aborted.
    if (signal?.aborted) throw new Error('client went away before the run started');
    if (this.running < this.maxConcurrent) {
      this.running++;
    } else {
      if (this.depth >= this.maxWaiting) throw this.full(this.depth);
      const line = opts.background ? this.waiting.background : this.waiting.urgent;
      await new Promise<void>((resolve, reject) => {
        const go = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = (): void => {
          const i = line.indexOf(go);
          if (i >= 0) line.splice(i, 1);
          reject(new Error('client went away while queued'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        line.push(go);
      }); // a finishing task hands its slot over, so running is not incremented here
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.urgent.shift() ?? this.waiting.background.shift();
      if (next) next(); // the slot passes straight to the next in line
      else this.running--;
    }
  }
}
