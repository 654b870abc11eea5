/**
 * Release-day readiness as the admin API answers it. Pure types: the admin UI imports them too,
 * so the two cannot drift apart.
 */

export interface Criterion {
  name: string;
  met: boolean;
  detail: string;
}

export interface Readiness {
  ready: boolean;
  windowHours: number;
  total: number;
  byClass: Record<string, number>;
  byKind: Record<string, number>;
  mismatches: number;
  mismatchRate: number;
  mismatchUpperBound: number;
  criteria: Criterion[];
  /** What is still missing, in words, for the release page. */
  missing: string[];
}
