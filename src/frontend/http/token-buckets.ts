/**
 * Per-client token buckets: each client may spend `perMinute` requests a minute, refilled
 * continuously, so bursts are fine and floods are refused. Buckets of quiet clients are
 * forgotten once there are `maxClients`, so memory stays bounded.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly refillPerMs: number;

  constructor(readonly perMinute: number, private readonly maxClients = 100_000) {
    this.refillPerMs = perMinute / 60_000;
  }

  /** Spends one token of `client`: 0 when it may go on, else the seconds until it may retry. */
  take(client: string, now = Date.now()): number {
    if (this.perMinute <= 0) return 0;
    let b = this.buckets.get(client);
    if (!b) {
      if (this.buckets.size >= this.maxClients) this.forgetFull(now);
      b = { tokens: this.perMinute, at: now };
      this.buckets.set(client, b);
    }
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * this.refillPerMs);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / this.refillPerMs / 1000);
  }

  private forgetFull(now: number): void {
    for (const [k, v] of this.buckets) if (v.tokens + (now - v.at) * this.refillPerMs >= this.perMinute) this.buckets.delete(k);
  }
}
