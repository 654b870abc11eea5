/** Thrown when more builds wait than the queue allows. */
export class BuildQueueFull extends Error {}

/**
 * Bounds concurrent builds: a build is CPU-bound, and more at once only slows all of them.
 * Public requests go ahead of dual-run shadows waiting for a slot.
 */
export class BuildGate {
  private active = 0;
  private readonly waiting: { urgent: Array<() => void>; background: Array<() => void> } = { urgent: [], background: [] };

  constructor(private readonly limit: number, private readonly queueLimit: number) {}

  get queued(): number {
    return this.waiting.urgent.length + this.waiting.background.length;
  }

  async run<T>(task: () => Promise<T>, background = false): Promise<T> {
    if (this.active < this.limit) this.active++;
    else {
      if (this.queued >= this.queueLimit) throw new BuildQueueFull(`too many programs waiting to build (${this.queued}); try again shortly`);
      const line = background ? this.waiting.background : this.waiting.urgent;
      await new Promise<void>((resolve) => line.push(resolve)); // the slot is handed over
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.urgent.shift() ?? this.waiting.background.shift();
      if (next) next();
      else this.active--;
    }
  }
}
