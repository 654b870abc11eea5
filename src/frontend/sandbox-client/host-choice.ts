/** What choosing needs of a host. */
export interface Candidate {
  load(): number;
}

/**
 * The least loaded of the candidates (load: the share of its capacity taken), a tie broken at
 * random so that idle hosts share the work instead of the first one taking it all.
 */
export function leastLoaded<T extends Candidate>(candidates: readonly T[], random: () => number = Math.random): T | undefined {
  let best: T[] = [];
  let bestLoad = Infinity;
  for (const c of candidates) {
    const l = c.load();
    if (!Number.isFinite(l)) continue; // no report: nothing to weigh
    if (l < bestLoad) {
      best = [c];
      bestLoad = l;
    } else if (l === bestLoad) {
      best.push(c);
    }
  }
  return best.length ? best[Math.floor(random() * best.length)] : undefined;
}
