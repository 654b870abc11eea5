/**
 * How a primary/shadow pair of runs compared:
 * - match: same output, errors, status and virtual timeline;
 * - timing-only: same output, but events happened at different virtual times (or interleaved
 *   stdout/stderr differently);
 * - expected: different, but every difference is explained by a known platform difference
 *   (a diff rule, e.g. 32- vs 64-bit int);
 * - flaky: different, and the primary disagreed with itself when rerun (decided by the caller);
 * - mismatch: an unexplained difference, the case a migration must look at;
 * - both-failed: both sides timed out or produced too much output, nothing to compare;
 * - backend-error: a backend itself failed, so the pair says nothing about the program.
 */
export type DiffClass = 'match' | 'timing-only' | 'expected' | 'flaky' | 'mismatch' | 'both-failed' | 'backend-error';

// A record forces this list to name every class exactly once when the union changes. The
// admin UI shows these meanings (GET /admin/api/vocabulary).
export const DIFF_CLASS_MEANINGS: Readonly<Record<DiffClass, string>> = Object.freeze({
  match: 'same output, errors, status and virtual timeline',
  'timing-only': 'same output, at different virtual times',
  expected: 'different, explained by known platform-difference rules',
  flaky: 'different, and the program disagreed with itself when rerun',
  mismatch: 'an unexplained difference: look at these',
  'both-failed': 'both sides timed out or printed too much',
  'backend-error': 'a backend itself failed',
});

export const DIFF_CLASSES: readonly DiffClass[] = Object.freeze(Object.keys(DIFF_CLASS_MEANINGS) as DiffClass[]);
