import { wilsonUpperBound } from './mismatch-bound';

describe('wilsonUpperBound', () => {
  it.each([
    // failures, total, z, expected (reference values of the Wilson score interval)
    [0, 10, 1.96, 0.27753],
    [5, 10, 1.96, 0.76341],
    [1, 10, 1.96, 0.40415],
    [10, 10, 1.96, 1],
    [0, 100, 1.96, 0.03699],
    [1, 100, 1.96, 0.05449],
    [0, 1000, 1.96, 0.00383],
    [50, 1000, 1.96, 0.06535],
    [0, 10, 2.576, 0.39887],
  ])('wilson(%d, %d, z=%d) ≈ %d', (failures, total, z, expected) => {
    expect(wilsonUpperBound(failures, total, z)).toBeCloseTo(expected, 4);
  });

  it('uses z = 1.96 by default', () => {
    expect(wilsonUpperBound(3, 40)).toBe(wilsonUpperBound(3, 40, 1.96));
  });

  it('is the point estimate when z is 0', () => {
    expect(wilsonUpperBound(3, 40, 0)).toBeCloseTo(0.075, 12);
  });

  it('is 1 when there is no data', () => {
    expect(wilsonUpperBound(0, 0)).toBe(1);
  });

  it('never exceeds 1 and is always above the observed rate', () => {
    for (const [f, n] of [[0, 1], [1, 1], [7, 9], [999, 1000], [1000, 1000]]) {
      const u = wilsonUpperBound(f, n);
      expect(u).toBeLessThanOrEqual(1);
      expect(u).toBeGreaterThanOrEqual(f / n);
    }
  });

  it('shrinks towards the observed rate as the sample grows', () => {
    const small = wilsonUpperBound(1, 100);
    const large = wilsonUpperBound(100, 10_000);
    expect(large).toBeLessThan(small);
    expect(large).toBeGreaterThan(0.01);
  });

  it('grows with more failures and with a larger z', () => {
    expect(wilsonUpperBound(2, 100)).toBeGreaterThan(wilsonUpperBound(1, 100));
    expect(wilsonUpperBound(1, 100, 2.576)).toBeGreaterThan(wilsonUpperBound(1, 100, 1.96));
  });

  it.each([
    [-1, 10],
    [11, 10],
    [1.5, 10],
    [0, -1],
    [0, Number.NaN],
  ])('rejects failures=%p total=%p', (f, n) => {
    expect(() => wilsonUpperBound(f, n)).toThrow(/must be/);
  });

  it('rejects a negative z', () => {
    expect(() => wilsonUpperBound(1, 10, -1)).toThrow(/z must be/);
  });
});
