import { addCounts, bucketOf, emptyCounts, LATENCY_BOUNDS_MS, LATENCY_COLUMNS, quantileMs } from './latency-histogram';

const histogram = (samples: number[]) => {
  const c = emptyCounts();
  for (const ms of samples) c[bucketOf(ms)]++;
  return c;
};

describe('latency histogram', () => {
  it('has a bucket for each bound and one past the last, each with its column', () => {
    expect(LATENCY_COLUMNS).toHaveLength(LATENCY_BOUNDS_MS.length + 1);
    expect(LATENCY_COLUMNS[0]).toBe('latency_le_5');
    expect(LATENCY_COLUMNS[LATENCY_COLUMNS.length - 1]).toBe('latency_over_60000');
    expect([...LATENCY_BOUNDS_MS].sort((a, b) => a - b)).toEqual(LATENCY_BOUNDS_MS);
  });

  it('counts a latency in the first bucket whose bound it does not exceed', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(5)).toBe(0);
    expect(bucketOf(5.01)).toBe(1);
    expect(bucketOf(60_000)).toBe(LATENCY_BOUNDS_MS.length - 1);
    expect(bucketOf(60_001)).toBe(LATENCY_BOUNDS_MS.length);
  });

  it('reads a percentile within a few per cent of the samples\' own', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => 20 + (i * 380) / 999); // 20 … 400 ms, evenly
    const exact = [...samples].sort((a, b) => a - b)[949];
    const p95 = quantileMs(histogram(samples), 0.95);
    expect(Math.abs(p95 - exact) / exact).toBeLessThan(0.05);
  });

  it('is 0 without requests, and the last bound for requests past it', () => {
    expect(quantileMs(emptyCounts(), 0.95)).toBe(0);
    expect(quantileMs(histogram([90_000, 120_000]), 0.95)).toBe(60_000);
  });

  it('reads the percentile of the merged traffic, not the largest of the parts\' percentiles', () => {
    // A busy fast minute and a slow quiet one: 5 slow requests out of 1005 are not the p95.
    const fast = histogram(Array(1000).fill(8));
    const slow = histogram(Array(5).fill(3000));
    expect(quantileMs(slow, 0.95)).toBeGreaterThan(2000);
    const merged = addCounts(addCounts(emptyCounts(), fast), slow);
    expect(quantileMs(merged, 0.95)).toBeLessThanOrEqual(10);
    expect(merged.reduce((a, b) => a + b, 0)).toBe(1005);
  });
});
