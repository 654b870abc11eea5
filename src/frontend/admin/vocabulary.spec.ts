import { vocabulary } from './vocabulary';
import { DIFF_CLASSES } from '../dualrun/diff-class';
import { stageOf } from '../control/stage';

describe('the admin vocabulary', () => {
  const v = vocabulary();

  it('names every diff class once, in order, each with its meaning', () => {
    expect(v.diffClasses.map((c) => c.name)).toEqual([...DIFF_CLASSES]);
    for (const c of v.diffClasses) expect(c.meaning.length).toBeGreaterThan(10);
  });

  it('carries the stage rules as plain data: what goes over the wire reads as the server reads it', () => {
    const rules = JSON.parse(JSON.stringify(v.stages));
    const flags = { releaseDay: false, killSwitch: false, rolloutPercent: 25, optInHeader: false, optInComment: true };
    for (const f of [flags, { ...flags, rolloutPercent: 0 }, { ...flags, rolloutPercent: 100 }, { ...flags, killSwitch: true }, { ...flags, releaseDay: true }]) {
      expect(stageOf(f, rules)).toBe(stageOf(f));
    }
    expect(stageOf(flags, rules)).toBe('rolling out 25 % to linux-amd64');
  });

  it('gives the limits a change is held to', () => {
    expect(v.limits).toEqual({ percent: { min: 0, max: 100, step: 0.01 }, reasonMaxLength: 2000 });
  });
});
