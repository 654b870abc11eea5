/**
 * A costly check whose answer every caller shares: at most one run of it at a time, and its
 * answer reused for `ttlMs`, so a flood of callers costs one check every `ttlMs` at most.
 */
export class SharedProbe<T> {
  private inFlight?: Promise<T>;
  private last?: { value: T; at: number };

  constructor(private readonly ttlMs: number, private readonly check: () => Promise<T>, private readonly now: () => number = Date.now) {}

  get(): Promise<T> {
    if (this.last && this.now() - this.last.at < this.ttlMs) return Promise.resolve(this.last.value);
    this.inFlight ??= this.check().then(
      (value) => {
        this.last = { value, at: this.now() };
        return value;
      },
    ).finally(() => { this.inFlight = undefined; });
    return this.inFlight;
  }
}
