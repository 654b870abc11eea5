/** Latency samples: nearest-rank percentiles and the benchmarks' tables of them. */

export interface Stats {
  n: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** The nearest-rank percentile `p` (0-100) of samples sorted in ascending order. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const pct = (p: number): number => percentile(s, p);
  return { n: s.length, p50: pct(50), p90: pct(90), p95: pct(95), p99: pct(99), mean: s.reduce((a, b) => a + b, 0) / s.length, min: s[0], max: s[s.length - 1] };
}

export const p50 = (samples: number[]): number => stats(samples).p50;

/** Milliseconds since a process.hrtime.bigint() reading. */
export const msSince = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e6;

/**
 * A fixed-width table of Stats: a name column, the sample count, then the chosen statistics,
 * each right-aligned in `width` characters with `digits` decimals.
 */
export class StatsTable {
  constructor(private readonly layout: { name: number; n: number; width: number; digits: number; columns: Array<Exclude<keyof Stats, 'n'>> }) {}

  header(title = 'milliseconds'): string {
    const { name, n, width, columns } = this.layout;
    return `${title.padEnd(name)}${'n'.padStart(n)}${columns.map((c) => c.padStart(width)).join('')}`;
  }

  row(label: string, s: Stats): string {
    const { name, n, width, digits, columns } = this.layout;
    return `${label.padEnd(name)}${String(s.n).padStart(n)}${columns.map((c) => s[c].toFixed(digits).padStart(width)).join('')}`;
  }
}
