import type { NextFunction, Request, Response } from 'express';

const LIMITED = new Set(['/compile', '/vet', '/fmt', '/share']);

/**
 * Per-client token buckets on the costly public routes: each client may spend `perMinute`
 * requests a minute, refilled continuously, so bursts are fine and floods get 429 with
 * Retry-After. Buckets of quiet clients are forgotten so memory stays bounded.
 */
export function rateLimit(perMinute: number, maxClients = 100_000) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (perMinute <= 0 || req.method !== 'POST' || !LIMITED.has(req.path)) return next();
    const now = Date.now();
    const key = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    let b = buckets.get(key);
    if (!b) {
      if (buckets.size >= maxClients) {
        for (const [k, v] of buckets) if (v.tokens + (now - v.at) * refillPerMs >= perMinute) buckets.delete(k);
      }
      b = { tokens: perMinute, at: now };
      buckets.set(key, b);
    }
    b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * refillPerMs);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return next();
    }
    const retryAfter = Math.ceil((1 - b.tokens) / refillPerMs / 1000);
    res.setHeader('Retry-After', String(retryAfter));
    res.status(429).type('text/plain').send(`Too many requests: at most ${perMinute} a minute; retry in ${retryAfter} s`);
  };
}
