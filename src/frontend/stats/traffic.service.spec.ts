import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { TrafficService } from './traffic.service';
import { Transactions } from '../db/transactions';
import { databaseOptions } from '../db/database-options';
import { openDatabase } from '../db/open-database';
import { sqlTime } from '../db/sql-time';
import { LATENCY_COLUMNS } from './latency-histogram';
import { MIGRATIONS } from '../../../migrations';
import { TrafficHistograms1764700000000 } from '../../../migrations/1764700000000-traffic-histograms';
import { testDatabase, TestDatabase } from '../../../test/support/database';

// Real SQLite (or PostgreSQL with TEST_POSTGRES_URL, scripts/with-postgres.sh), the service's
// own migrations.
let where: TestDatabase;
let db: DataSource;

beforeAll(async () => {
  where = await testDatabase('traffic');
  db = await where.open();
});

afterAll(async () => {
  await db.destroy();
  await where.drop();
});

beforeEach(async () => {
  await db.query('DELETE FROM traffic_minutes');
});

const record = (t: TrafficService, backend: string, ms: number, n: number) => {
  for (let i = 0; i < n; i++) t.record(backend, ms, 'ok');
};

describe('TrafficService', () => {
  it('stores each minute as a histogram that every flush adds to', async () => {
    const t = new TrafficService(db, new Transactions(db));
    record(t, 'linux-amd64', 8, 3);
    await t.flush();
    record(t, 'linux-amd64', 3000, 2);
    t.record('linux-amd64', 12, 'error');
    await t.flush();
    const rows: Array<Record<string, unknown>> = await db.query('SELECT * FROM traffic_minutes');
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ backend: 'linux-amd64', requests: 6, errors: 1, failures: 0 });
    const counts = Object.fromEntries(LATENCY_COLUMNS.map((c) => [c, Number(row[c])]).filter(([, n]) => n !== 0));
    expect(counts).toEqual({ latency_le_10: 3, latency_le_15: 1, latency_le_3000: 2 });
    expect(row).not.toHaveProperty('p95_ms');
  });

  it('reads the p95 from the merged histogram: a slow flush of few requests is not the p95 of many fast ones', async () => {
    const t = new TrafficService(db, new Transactions(db));
    record(t, 'linux-amd64', 8, 200);
    record(t, 'nacl-emulated', 40, 100);
    await t.flush();
    // The old way took the largest per-flush p95 (here 3000 ms) for the whole minute.
    record(t, 'linux-amd64', 3000, 5);
    const series = await t.series(1, 15);
    const amd64 = series.find((p) => p.backend === 'linux-amd64')!;
    expect(amd64).toMatchObject({ requests: 205, errors: 0, failures: 0 });
    expect(amd64.p95Ms).toBeLessThanOrEqual(10);
    expect(amd64.meanMs).toBe(Math.round((200 * 8 + 5 * 3000) / 205));
    expect(series.find((p) => p.backend === 'nacl-emulated')).toMatchObject({ requests: 100, p95Ms: 40 });
  });

  it('merges the minutes of one chart bucket', async () => {
    const t = new TrafficService(db, new Transactions(db));
    // Two minutes of the hour before this one: one chart bucket of an hour, inside the last two hours.
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
    const minute = (m: number) => sqlTime(new Date(hour + m * 60_000)).slice(0, 16);
    const zeros = LATENCY_COLUMNS.map(() => 0);
    const insert = (m: string, counts: Record<string, number>) => {
      const values = LATENCY_COLUMNS.map((c, i) => counts[c] ?? zeros[i]);
      const requests = values.reduce((a, b) => a + b, 0);
      return where.query(`INSERT INTO traffic_minutes (minute, backend, requests, errors, failures, total_ms, ${LATENCY_COLUMNS.join(', ')})
        VALUES (?, 'linux-amd64', ?, 0, 0, 0, ${values.join(', ')})`, [m, requests]);
    };
    // 90 fast requests and 10 slow ones make a p95 among the slow.
    await insert(minute(10), { latency_le_50: 90 });
    await insert(minute(20), { latency_le_1000: 10 });
    const series = await t.series(2, 60);
    expect(series).toEqual([{ at: new Date(hour).toISOString(), backend: 'linux-amd64', requests: 100, errors: 0, failures: 0, meanMs: 0, p95Ms: 875 }]); // 750 + (1000 - 750) · (95 - 90) / 10
  });
});

describe('the traffic histograms migration', () => {
  it('counts a minute from before in the bucket of its p95, and takes the p95 column away', async () => {
    const old = await testDatabase('traffic-migration');
    try {
      const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(TrafficHistograms1764700000000));
      await (await openDatabase({ ...databaseOptions(old.setting), migrations: before, entities: [] })).destroy();
      for (const [minute, requests, p95] of [['2025-11-29 12:00', 40, 4], ['2025-11-29 12:01', 7, 120], ['2025-11-29 12:02', 2, 90_000]] as const) {
        await old.query(`INSERT INTO traffic_minutes (minute, backend, requests, errors, failures, total_ms, p95_ms) VALUES (?, 'linux-amd64', ?, 0, 0, 0, ?)`, [minute, requests, p95]);
      }
      const upgraded = await old.open();
      try {
        const rows: Array<Record<string, unknown>> = await upgraded.query('SELECT * FROM traffic_minutes ORDER BY minute');
        const nonZero = rows.map((r) => Object.fromEntries(LATENCY_COLUMNS.map((c) => [c, Number(r[c])]).filter(([, n]) => n !== 0)));
        expect(nonZero).toEqual([{ latency_le_5: 40 }, { latency_le_150: 7 }, { latency_over_60000: 2 }]);
        expect(rows[0]).not.toHaveProperty('p95_ms');

        const runner = upgraded.createQueryRunner();
        await new TrafficHistograms1764700000000().down(runner);
        await runner.release();
        const back: Array<{ p95_ms: number }> = await upgraded.query('SELECT * FROM traffic_minutes ORDER BY minute');
        expect(back.map((r) => Number(r.p95_ms))).toEqual([5, 150, 60_000]);
        expect(back[0]).not.toHaveProperty('latency_le_5');
      } finally {
        await upgraded.destroy();
      }
    } finally {
      await old.drop();
    }
  });
});
