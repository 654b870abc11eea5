import { stageOf, StageFlags } from './stage';

const flags = (f: Partial<StageFlags> = {}): StageFlags => ({ releaseDay: false, killSwitch: false, rolloutPercent: 0, optInHeader: false, optInComment: false, ...f });

describe('stageOf', () => {
  it('names each stage of the migration', () => {
    expect(stageOf(flags())).toBe('legacy only');
    expect(stageOf(flags({ optInHeader: true }))).toBe('legacy only; engineers may opt in');
    expect(stageOf(flags({ optInComment: true }))).toBe('legacy only; engineers may opt in');
    expect(stageOf(flags({ rolloutPercent: 25 }))).toBe('rolling out 25 % to linux-amd64');
    expect(stageOf(flags({ rolloutPercent: 0.01, optInHeader: true }))).toBe('rolling out 0.01 % to linux-amd64');
    expect(stageOf(flags({ rolloutPercent: 100 }))).toBe('linux-amd64 for everyone (100 %); release day pending');
  });

  it('lets the kill switch and then release day win over the rollout', () => {
    expect(stageOf(flags({ rolloutPercent: 50, killSwitch: true }))).toBe('kill switch on: legacy for everyone');
    expect(stageOf(flags({ rolloutPercent: 50, killSwitch: true, releaseDay: true }))).toBe('release day: linux-amd64 for everyone, NaCl retired');
  });

  it('reads the rules it is given, as the admin UI does with the ones it fetched', () => {
    const rules = [{ when: { killSwitch: true }, name: 'stop' }, { when: {}, name: 'at {rolloutPercent}' }];
    expect(stageOf(flags({ killSwitch: true }), rules)).toBe('stop');
    expect(stageOf(flags({ rolloutPercent: 7 }), rules)).toBe('at 7');
  });
});
