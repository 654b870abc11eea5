/** The flags a stage is read from, as the admin API shows them (percentages, not basis points). */
export interface StageFlags {
  releaseDay: boolean;
  killSwitch: boolean;
  rolloutPercent: number;
  optInHeader: boolean;
  optInComment: boolean;
}

/**
 * A stage of the migration in words, and the flags that put a release manager there: every
 * flag named in `when` must have that value. `{rolloutPercent}` in the words is the rollout.
 */
export interface StageRule {
  when: Partial<StageFlags>;
  name: string;
}

/**
 * The stages, the first matching one wins. Served to the admin UI as data (GET
 * /admin/api/vocabulary), so that its preview of a change names the stage as the server will.
 */
export const STAGES: readonly StageRule[] = Object.freeze([
  { when: { releaseDay: true }, name: 'release day: linux-amd64 for everyone, NaCl retired' },
  { when: { killSwitch: true }, name: 'kill switch on: legacy for everyone' },
  { when: { rolloutPercent: 0, optInHeader: true }, name: 'legacy only; engineers may opt in' },
  { when: { rolloutPercent: 0, optInComment: true }, name: 'legacy only; engineers may opt in' },
  { when: { rolloutPercent: 0 }, name: 'legacy only' },
  { when: { rolloutPercent: 100 }, name: 'linux-amd64 for everyone (100 %); release day pending' },
  { when: {}, name: 'rolling out {rolloutPercent} % to linux-amd64' },
]);

/** The stage the flags are at, in words. */
export function stageOf(flags: StageFlags, rules: readonly StageRule[] = STAGES): string {
  const rule = rules.find((r) => Object.entries(r.when).every(([k, v]) => flags[k as keyof StageFlags] === v));
  return (rule?.name ?? '').replace('{rolloutPercent}', String(flags.rolloutPercent));
}
