import { SharedProbe } from './shared-probe';

describe('SharedProbe', () => {
  it('runs one check for callers that come while it runs, and reuses its answer for the TTL', async () => {
    let now = 0;
    let checks = 0;
    let finish!: (v: string) => void;
    const probe = new SharedProbe(1000, () => { checks++; return new Promise<string>((r) => { finish = r; }); }, () => now);
    const waiting = Array.from({ length: 50 }, () => probe.get());
    expect(checks).toBe(1);
    finish('ok');
    expect(await Promise.all(waiting)).toEqual(Array(50).fill('ok'));
    now = 999;
    expect(await probe.get()).toBe('ok');
    expect(checks).toBe(1);
    now = 1000;
    const again = probe.get();
    expect(checks).toBe(2);
    finish('later');
    expect(await again).toBe('later');
  });

  it('does not keep a check that threw: the next caller checks again', async () => {
    let checks = 0;
    const probe = new SharedProbe(1000, async () => { checks++; if (checks === 1) throw new Error('boom'); return 'ok'; });
    await expect(probe.get()).rejects.toThrow('boom');
    await expect(probe.get()).resolves.toBe('ok');
    expect(checks).toBe(2);
  });
});
