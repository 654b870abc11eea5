import { createHash } from 'node:crypto';
import { BUCKETS, inRollout, rolloutBucket } from './bucket';

const programs = Array.from({ length: 10_000 }, (_, i) => `package main\n\nfunc main() { println(${i}) }\n`);
const buckets = programs.map((p) => rolloutBucket(p, 'linux-amd64-2024'));

describe('rolloutBucket', () => {
  it('is an integer in [0, 9999]', () => {
    const bad = buckets.filter((b) => !Number.isInteger(b) || b < 0 || b >= BUCKETS);
    expect(bad).toEqual([]);
    expect(Math.min(...buckets)).toBeLessThan(10);
    expect(Math.max(...buckets)).toBeGreaterThan(BUCKETS - 10);
  });

  it('is stable for the same program and salt', () => {
    expect(rolloutBucket(programs[0], 'linux-amd64-2024')).toBe(buckets[0]);
    expect(rolloutBucket(programs[1], 'linux-amd64-2024')).toBe(buckets[1]);
  });

  it('hashes salt, newline, then text', () => {
    const expected = createHash('sha256').update('s\nprog').digest().readUInt32BE(0) % 10_000;
    expect(rolloutBucket('prog', 's')).toBe(expected);
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    expect(rolloutBucket('c', 'ab')).not.toBe(rolloutBucket('bc', 'a'));
  });

  it('gives independent assignments for different salts', () => {
    const other = programs.map((p) => rolloutBucket(p, 'another-rollout'));
    const same = other.filter((b, i) => b === buckets[i]).length;
    expect(same).toBeLessThan(20); // about 1 expected by chance
    const bothInFirstHalf = other.filter((b, i) => b < 5000 && buckets[i] < 5000).length;
    expect(bothInFirstHalf / programs.length).toBeGreaterThan(0.23);
    expect(bothInFirstHalf / programs.length).toBeLessThan(0.27);
  });

  it('spreads programs over the buckets', () => {
    expect(new Set(buckets).size).toBeGreaterThan(6000); // ~6321 expected for 10 000 draws
  });
});

describe('inRollout', () => {
  it.each([1, 25, 50, 90])('selects %d %% of 10 000 programs within 2 points', (percent) => {
    const selected = buckets.filter((b) => inRollout(b, percent)).length;
    expect(Math.abs((selected / programs.length) * 100 - percent)).toBeLessThanOrEqual(2);
  });

  it('selects none at 0 % and all at 100 %', () => {
    expect(buckets.some((b) => inRollout(b, 0))).toBe(false);
    expect(buckets.every((b) => inRollout(b, 100))).toBe(true);
    expect(inRollout(0, 0)).toBe(false);
    expect(inRollout(9999, 100)).toBe(true);
  });

  it('is monotonic: a program selected at p stays selected at every larger q', () => {
    const steps = [0, 0.01, 0.5, 1, 5, 10, 25, 33.33, 50, 75, 90, 99.99, 100];
    const violations: string[] = [];
    let selectedSomewhere = 0;
    for (const b of buckets) {
      let was = false;
      for (const p of steps) {
        const now = inRollout(b, p);
        if (was && !now) violations.push(`bucket ${b} dropped at ${p} %`);
        was = now;
      }
      if (was) selectedSomewhere++;
    }
    expect(violations).toEqual([]);
    expect(selectedSomewhere).toBe(buckets.length);
    for (const [p, q] of [[1, 25], [25, 50], [50, 90]]) {
      const atP = programs.filter((_, i) => inRollout(buckets[i], p));
      const atQ = new Set(programs.filter((_, i) => inRollout(buckets[i], q)));
      expect(atP.every((prog) => atQ.has(prog))).toBe(true);
      expect(atQ.size).toBeGreaterThan(atP.length);
    }
  });

  it('works in steps of 0.01 %', () => {
    expect(inRollout(0, 0.01)).toBe(true);
    expect(inRollout(1, 0.01)).toBe(false);
    expect(inRollout(1, 0.02)).toBe(true);
    expect(inRollout(2499, 25)).toBe(true);
    expect(inRollout(2500, 25)).toBe(false);
  });

  it('rounds fractional percentages to the nearest bucket instead of truncating', () => {
    // 0.29 * 100 is 28.999999999999996 in floating point.
    expect(inRollout(28, 0.29)).toBe(true);
    expect(inRollout(29, 0.29)).toBe(false);
  });

  it.each([-1, 100.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects percentage %p', (p) => {
    expect(() => inRollout(0, p)).toThrow(/between 0 and 100/);
  });
});
