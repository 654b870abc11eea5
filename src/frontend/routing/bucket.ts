import { createHash } from 'node:crypto';

export const BUCKETS = 10_000;

/**
 * A stable bucket in [0, 9999] for a program, so a rollout percentage (in steps of 0.01 %)
 * always selects the same programs and a user does not flip between backends on reruns.
 * Salting lets separate rollouts pick independent samples. Taking the first 4 digest bytes
 * mod 10 000 favours low buckets by at most 1 in 429 496 (2^32 mod 10^4 = 7296 extra values
 * over 2^32), far below anything a rollout could notice.
 */
export function rolloutBucket(programText: string, salt: string): number {
  const digest = createHash('sha256').update(salt).update('\n').update(programText).digest();
  return digest.readUInt32BE(0) % BUCKETS;
}

/**
 * Whether a bucket is selected at `percent` (0-100). Buckets below a threshold are chosen,
 * so raising the percentage only ever adds programs. Out-of-range percentages are a
 * configuration bug and throw rather than silently selecting all or nothing.
 */
export function inRollout(bucket: number, percent: number): boolean {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`rollout percentage must be between 0 and 100, got ${percent}`);
  }
  return bucket < Math.round(percent * 100);
}
