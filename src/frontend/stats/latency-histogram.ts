/**
 * Latency as a histogram of fixed buckets, so that minutes, flushes and frontends can be added
 * up and a percentile read from the sum: a percentile of percentiles (the largest per-flush
 * p95, say) is no percentile of the traffic at all.
 *
 * Each bucket counts the requests that took at most its bound (and more than the bound before
 * it); one more bucket counts those past the last bound. The bounds grow by about half each,
 * so a percentile read from them is within a few per cent wherever the traffic is.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = Object.freeze([
  5, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 300, 400, 500, 750,
  1000, 1500, 2000, 3000, 4000, 5000, 7500, 10_000, 15_000, 20_000, 30_000, 60_000,
]);

/** The traffic table's column for each bucket, in bucket order (migrations/1764700000000-traffic-histograms.ts). */
export const LATENCY_COLUMNS: readonly string[] = Object.freeze([
  ...LATENCY_BOUNDS_MS.map((b) => `latency_le_${b}`),
  `latency_over_${LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]}`,
]);

/** One count per bucket. */
export type LatencyCounts = number[];

export function emptyCounts(): LatencyCounts {
  return new Array<number>(LATENCY_COLUMNS.length).fill(0);
}

export function bucketOf(ms: number): number {
  const i = LATENCY_BOUNDS_MS.findIndex((b) => ms <= b);
  return i < 0 ? LATENCY_BOUNDS_MS.length : i;
}

/** Adds `more` into `into` (bucket by bucket) and returns `into`. */
export function addCounts(into: LatencyCounts, more: readonly number[]): LatencyCounts {
  for (let i = 0; i < into.length; i++) into[i] += more[i] ?? 0;
  return into;
}

/**
 * The q-quantile (0 < q ≤ 1) in ms, interpolated within its bucket as if the bucket's requests
 * were spread evenly over it; 0 with no requests. One past the last bound is reported as the
 * last bound: the histogram knows no more than "longer than that".
 */
export function quantileMs(counts: readonly number[], q: number): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] > 0 && below + counts[i] >= rank) {
      if (i >= LATENCY_BOUNDS_MS.length) break;
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1];
      return lower + ((LATENCY_BOUNDS_MS[i] - lower) * (rank - below)) / counts[i];
    }
    below += counts[i];
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}
