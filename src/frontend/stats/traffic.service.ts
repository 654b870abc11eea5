import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sqlTime } from '../db/sql-time';
import { Transactions } from '../db/transactions';
import { placeholders } from '../db/dialect';

interface Bucket {
  requests: number;
  errors: number;
  failures: number;
  totalMs: number;
  samples: number[];
}

const FLUSH_MS = 15_000;
const MAX_SAMPLES = 2000;
const RETENTION_DAYS = 30;

/**
 * Per-minute traffic by backend, aggregated in memory and written to the database every few seconds
 * (one upsert per backend and minute, not one row per request).
 */
@Injectable()
export class TrafficService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('traffic');
  private buckets = new Map<string, Bucket>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly db: DataSource, private readonly tx: Transactions) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush().catch((e: Error) => this.log.warn(`flush failed: ${e.message}`)), FLUSH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(() => undefined);
  }

  record(backend: string, ms: number, outcome: 'ok' | 'error' | 'failure'): void {
    const key = `${sqlTime(new Date()).slice(0, 16)}|${backend}`;
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { requests: 0, errors: 0, failures: 0, totalMs: 0, samples: [] }));
    b.requests++;
    if (outcome === 'error') b.errors++;
    if (outcome === 'failure') b.failures++;
    b.totalMs += ms;
    if (b.samples.length < MAX_SAMPLES) b.samples.push(ms);
  }

  async flush(): Promise<void> {
    const pending = this.buckets;
    this.buckets = new Map();
    const cutoff = sqlTime(new Date(Date.now() - RETENTION_DAYS * 86_400_000)).slice(0, 16);
    await this.tx.run(async (tx) => {
      for (const [key, b] of pending) {
        const [minute, backend] = key.split('|');
        const sorted = b.samples.sort((x, y) => x - y);
        const p95 = Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0);
        // ON CONFLICT ... DO UPDATE is understood by SQLite and PostgreSQL alike (CASE, not MAX(a, b)).
        await tx.query(placeholders(tx.connection, `INSERT INTO traffic_minutes (minute, backend, requests, errors, failures, total_ms, p95_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (minute, backend) DO UPDATE SET requests = traffic_minutes.requests + excluded.requests,
             errors = traffic_minutes.errors + excluded.errors, failures = traffic_minutes.failures + excluded.failures,
             total_ms = traffic_minutes.total_ms + excluded.total_ms,
             p95_ms = CASE WHEN excluded.p95_ms > traffic_minutes.p95_ms THEN excluded.p95_ms ELSE traffic_minutes.p95_ms END`),
          [minute, backend, b.requests, b.errors, b.failures, Math.round(b.totalMs), p95]);
      }
      await tx.query(placeholders(tx.connection, `DELETE FROM traffic_minutes WHERE minute < ?`), [cutoff]);
    });
  }

  /** Traffic per backend in buckets of `bucketMinutes` over the last `hours`. */
  async series(hours: number, bucketMinutes: number) {
    await this.flush();
    const since = sqlTime(new Date(Date.now() - hours * 3_600_000)).slice(0, 16);
    const rows: Array<{ minute: string; backend: string; requests: number; errors: number; failures: number; total_ms: number; p95_ms: number }> =
      await this.db.createQueryBuilder().select('*').from('traffic_minutes', 't').where('t.minute >= :since', { since }).orderBy('t.minute').getRawMany();
    const out = new Map<string, { at: string; backend: string; requests: number; errors: number; failures: number; meanMs: number; p95Ms: number }>();
    for (const r of rows) {
      const t = new Date(`${r.minute}:00Z`);
      t.setUTCMinutes(Math.floor(t.getUTCMinutes() / bucketMinutes) * bucketMinutes);
      const at = t.toISOString();
      const key = `${at}|${r.backend}`;
      const o = out.get(key) ?? { at, backend: r.backend, requests: 0, errors: 0, failures: 0, meanMs: 0, p95Ms: 0 };
      o.meanMs = (o.meanMs * o.requests + r.total_ms) / (o.requests + r.requests || 1);
      o.requests += r.requests;
      o.errors += r.errors;
      o.failures += r.failures;
      o.p95Ms = Math.max(o.p95Ms, r.p95_ms);
      out.set(key, o);
    }
    return [...out.values()].map((o) => ({ ...o, meanMs: Math.round(o.meanMs) }));
  }
}
