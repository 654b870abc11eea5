/**
 * What release day is decided on, counted so that nobody can buy it: one client replaying a
 * program, or sending many, must not move the numbers much, and a failed backend must not be
 * mistaken for a program that behaves differently.
 *
 * The unit is a distinct program (by program hash), not a dual run: a program replayed a
 * thousand times is one program. Each client (keyed hash of its address) contributes at most
 * `perClient` programs: its first ones in the window. A program counts as mismatching when a
 * counted run of it was a mismatch.
 *
 * backend-error pairs are not compatibility evidence: a backend failed, so the pair says
 * nothing about the program (diff-class.ts), and a stranger can sometimes force one. They are
 * left out of the program count and the mismatch rate. A failure of the side being retired
 * (legacy) is no concern for release day at all. A failure of linux-amd64 is one, when it is
 * systematic: it is counted by client (a client that saw linux-amd64 fail counts once,
 * however many programs it sent), and one client alone never blocks release day; more must
 * stay within the mismatch rate of the counted programs. A linux-amd64 that fails for
 * everybody also leaves no comparable programs, so the evidence criterion stays unmet.
 */

/** Dual runs of one program from one client in the window, as the database groups them. */
export interface ProgramGroup {
  program: string;
  client: string;
  kind: string;
  /** Orders a client's programs by their first dual run (that run's id: ids grow with time). */
  first: number;
  runs: number;
  /** At least one of these runs compared the two sides (anything but backend-error). */
  comparable: boolean;
  mismatched: boolean;
  /** At least one of these runs failed on linux-amd64. */
  newFailed: boolean;
}

export interface Evidence {
  /** Raw dual runs in the window. */
  runs: number;
  /** Distinct clients in the window. */
  clients: number;
  /** Distinct comparable programs counted (within every client's cap). */
  programs: number;
  /** Of those, the programs with a mismatch. */
  mismatched: number;
  /** Counted programs by kind. */
  byKind: Record<string, number>;
  /** Distinct programs left out only because their clients had sent their share already. */
  capped: number;
  /** Programs that failed on linux-amd64, and the distinct clients that saw it (the admin API's key says "new backend"). */
  newBackendFailures: { programs: number; clients: number };
}

export function countEvidence(groups: readonly ProgramGroup[], perClient: number): Evidence {
  if (!Number.isInteger(perClient) || perClient < 1) throw new RangeError(`perClient must be a whole number ≥ 1, got ${perClient}`);
  const byClient = new Map<string, ProgramGroup[]>();
  for (const g of groups) {
    const list = byClient.get(g.client) ?? [];
    list.push(g);
    byClient.set(g.client, list);
  }
  const admitted: ProgramGroup[] = [];
  const leftOut = new Set<string>();
  for (const list of byClient.values()) {
    list.sort((a, b) => a.first - b.first || (a.program < b.program ? -1 : a.program > b.program ? 1 : 0));
    admitted.push(...list.slice(0, perClient));
    for (const g of list.slice(perClient)) leftOut.add(g.program);
  }
  const counted = new Map<string, { kind: string; mismatched: boolean }>();
  for (const g of admitted.filter((x) => x.comparable)) {
    const p = counted.get(g.program) ?? { kind: g.kind, mismatched: false };
    p.mismatched ||= g.mismatched;
    counted.set(g.program, p);
  }
  const admittedPrograms = new Set(admitted.map((g) => g.program));
  const byKind: Record<string, number> = {};
  for (const p of counted.values()) byKind[p.kind] = (byKind[p.kind] ?? 0) + 1;
  const failed = groups.filter((g) => g.newFailed);
  return {
    runs: groups.reduce((n, g) => n + g.runs, 0),
    clients: byClient.size,
    programs: counted.size,
    mismatched: [...counted.values()].filter((p) => p.mismatched).length,
    byKind,
    capped: [...leftOut].filter((p) => !admittedPrograms.has(p)).length,
    newBackendFailures: { programs: new Set(failed.map((g) => g.program)).size, clients: new Set(failed.map((g) => g.client)).size },
  };
}

/**
 * How many clients may have seen linux-amd64 fail before that blocks release day: never
 * fewer than one (one client's failures, forced or not, do not block on their own), else the
 * accepted mismatch rate of the counted programs.
 */
export function tolerableFailingClients(programs: number, maxRate: number): number {
  return Math.max(1, Math.floor(maxRate * programs));
}
