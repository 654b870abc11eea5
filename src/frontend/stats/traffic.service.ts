import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sqlTime } from '../db/sql-time';
import { Transactions } from '../db/transactions';
import { placeholders } from '../db/dialect';
import { addCounts, bucketOf, emptyCounts, LATENCY_COLUMNS, LatencyCounts, quantileMs } from './latency-histogram';

interface Bucket {
  requests: number;
  errors: number;
  failures: number;
  totalMs: number;
  latency: LatencyCounts;
}

const FLUSH_MS = 15_000;
const RETENTION_DAYS = 30;
const COLUMNS = ['minute', 'backend', 'requests', 'errors', 'failures', 'total_ms', ...LATENCY_COLUMNS];
// Every count is added to the row's: flushes of one minute, from any frontend, sum up.
const UPSERT = `INSERT INTO traffic_minutes (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT (minute, backend) DO UPDATE SET ${COLUMNS.slice(2).map((c) => `${c} = traffic_minutes.${c} + excluded.${c}`).join(', ')}`;

type Row = { minute: string; backend: string; requests: number; errors: number; failures: number; total_ms: number; [latency: `latency_${string}`]: number };

/**
 * Per-minute traffic by backend, aggregated in memory and written to the database every few seconds
 * (one upsert per backend and minute, not one row per request). Latency is kept as a histogram,
 * so that the p95 of any span is read from the sum of its minutes.
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
    if (!b) this.buckets.set(key, (b = { requests: 0, errors: 0, failures: 0, totalMs: 0, latency: emptyCounts() }));
    b.requests++;
    if (outcome === 'error') b.errors++;
    if (outcome === 'failure') b.failures++;
    b.totalMs += ms;
    b.latency[bucketOf(ms)]++;
  }

  async flush(): Promise<void> {
    const pending = this.buckets;
    this.buckets = new Map();
    const cutoff = sqlTime(new Date(Date.now() - RETENTION_DAYS * 86_400_000)).slice(0, 16);
    await this.tx.run(async (tx) => {
      for (const [key, b] of pending) {
        const [minute, backend] = key.split('|');
        // ON CONFLICT ... DO UPDATE is understood by SQLite and PostgreSQL alike.
        await tx.query(placeholders(tx.connection, UPSERT), [minute, backend, b.requests, b.errors, b.failures, Math.round(b.totalMs), ...b.latency]);
      }
      await tx.query(placeholders(tx.connection, `DELETE FROM traffic_minutes WHERE minute < ?`), [cutoff]);
    });
  }

  /** Traffic per backend in buckets of `bucketMinutes` over the last `hours`. */
  async series(hours: number, bucketMinutes: number) {
    await this.flush();
    const since = sqlTime(new Date(Date.now() - hours * 3_600_000)).slice(0, 16);
    const rows: Row[] = await this.db.createQueryBuilder().select('*').from('traffic_minutes', 't').where('t.minute >= :since', { since }).orderBy('t.minute').getRawMany();
    const out = new Map<string, { at: string; backend: string; requests: number; errors: number; failures: number; meanMs: number; latency: LatencyCounts }>();
    for (const r of rows) {
      const t = new Date(`${r.minute}:00Z`);
      t.setUTCMinutes(Math.floor(t.getUTCMinutes() / bucketMinutes) * bucketMinutes);
      const at = t.toISOString();
      const key = `${at}|${r.backend}`;
      const o = out.get(key) ?? { at, backend: r.backend, requests: 0, errors: 0, failures: 0, meanMs: 0, latency: emptyCounts() };
      o.meanMs = (o.meanMs * o.requests + r.total_ms) / (o.requests + r.requests || 1);
      o.requests += r.requests;
      o.errors += r.errors;
      o.failures += r.failures;
      addCounts(o.latency, LATENCY_COLUMNS.map((c) => r[c as `latency_${string}`]));
      out.set(key, o);
    }
    return [...out.values()].map(({ latency, ...o }) => ({ ...o, meanMs: Math.round(o.meanMs), p95Ms: Math.round(quantileMs(latency, 0.95)) }));
  }
}
