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
  /** Raw dual runs in the window, in total and by class: what was stored. */
  runs: number;
  runsByClass: Record<string, number>;
  /** Distinct programs in the window by class (a program counts once in each class it had). */
  programsByClass: Record<string, number>;
  /** Distinct clients (by client key) in the window. */
  clients: number;
  /** What the gate counts: distinct comparable programs, at most perClientCap from each client. */
  programs: number;
  perClientCap: number;
  /** Distinct programs left out because their clients had already sent perClientCap. */
  cappedPrograms: number;
  /** Counted programs by kind (plain, test, multi-file, module). */
  byKind: Record<string, number>;
  /** Counted programs with a mismatch, their share and its 95 % upper bound. */
  mismatches: number;
  mismatchRate: number;
  mismatchUpperBound: number;
  /** Programs whose linux-amd64 side failed, the distinct clients that saw it, and how many clients may (the key is the API's, kept as it was). */
  newBackendFailures: { programs: number; clients: number; tolerated: number };
  criteria: Criterion[];
  /** What is still missing, in words, for the release page. */
  missing: string[];
}
