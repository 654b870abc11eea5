/**
 * Upper end of the Wilson score interval for a failure rate: with `failures` mismatches in
 * `total` dual runs, the true rate is below this with the confidence implied by `z`
 * (1.96 ≈ 95 %). Unlike failures/total it stays meaningful for 0 failures and small samples,
 * which is exactly the case a release gate has to judge. With no data nothing is known: 1.
 */
export function wilsonUpperBound(failures: number, total: number, z = 1.96): number {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a non-negative integer, got ${total}`);
  if (!Number.isInteger(failures) || failures < 0 || failures > total) {
    throw new RangeError(`failures must be an integer in [0, total], got ${failures} of ${total}`);
  }
  if (!Number.isFinite(z) || z < 0) throw new RangeError(`z must be a non-negative number, got ${z}`);
  if (total === 0) return 1;
  const p = failures / total;
  const z2 = z * z;
  const centre = p + z2 / (2 * total);
  const margin = z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  return Math.min(1, (centre + margin) / (1 + z2 / total));
}
