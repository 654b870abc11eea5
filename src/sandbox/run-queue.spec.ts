import { RunQueue } from './run-queue';

/** A task whose end the test decides. */
function gate<T = void>(): { promise: Promise<T>; open(v: T): void; fail(e: Error): void } {
  let open!: (v: T) => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => { open = res; fail = rej; });
  return { promise, open, fail };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('RunQueue', () => {
  it('never runs more than maxConcurrent tasks at once', async () => {
    const q = new RunQueue(2);
    let running = 0;
    let peak = 0;
    const gates = Array.from({ length: 6 }, () => gate());
    const done = gates.map((g) => q.schedule(async () => {
      running++;
      peak = Math.max(peak, running);
      await g.promise;
      running--;
    }));
    await tick();
    expect(running).toBe(2);
    expect(q.active).toBe(2);
    expect(q.depth).toBe(4);
    for (const g of gates) {
      g.open();
      await tick();
      expect(running).toBeLessThanOrEqual(2);
    }
    await Promise.all(done);
    expect(peak).toBe(2);
    expect(q.active).toBe(0);
    expect(q.depth).toBe(0);
  });

  it('starts waiting tasks in the order they arrived', async () => {
    const q = new RunQueue(1);
    const order: number[] = [];
    const first = gate();
    const all = [q.schedule(async () => { order.push(0); await first.promise; })];
    for (let i = 1; i <= 5; i++) all.push(q.schedule(async () => { order.push(i); }));
    await tick();
    expect(order).toEqual([0]);
    first.open();
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('returns each task its own result, and a failing task frees its slot', async () => {
    const q = new RunQueue(1);
    const bad = q.schedule(async () => { throw new Error('boom'); });
    const good = q.schedule(async () => 42);
    await expect(bad).rejects.toThrow('boom');
    await expect(good).resolves.toBe(42);
    expect(q.active).toBe(0);
  });

  it('drops a waiting task whose client went away, without running it', async () => {
    const q = new RunQueue(1);
    const g = gate();
    const running = q.schedule(() => g.promise);
    const abort = new AbortController();
    let ranAborted = false;
    const aborted = q.schedule(async () => { ranAborted = true; }, abort.signal);
    const after = q.schedule(async () => 'after');
    await tick();
    expect(q.depth).toBe(2);
    abort.abort();
    await expect(aborted).rejects.toThrow(/went away/);
    expect(q.depth).toBe(1);
    g.open();
    await running;
    await expect(after).resolves.toBe('after');
    expect(ranAborted).toBe(false);
    expect(q.active).toBe(0);
    expect(q.depth).toBe(0);
  });

  it('an abort after the task started does not disturb the queue', async () => {
    const q = new RunQueue(1);
    const g = gate();
    const abort = new AbortController();
    const running = q.schedule(() => g.promise, abort.signal);
    abort.abort();
    g.open();
    await expect(running).resolves.toBeUndefined();
    expect(q.active).toBe(0);
  });

  it('does not run a task whose client had already gone before it was queued', async () => {
    const q = new RunQueue(1);
    const g = gate();
    const running = q.schedule(() => g.promise);
    const abort = new AbortController();
    abort.abort();
    let ran = false;
    const late = q.schedule(async () => { ran = true; }, abort.signal);
    late.catch(() => undefined);
    g.open();
    await running;
    await Promise.race([late.catch(() => undefined), tick().then(tick)]);
    expect(ran).toBe(false);
    await expect(late).rejects.toThrow(/went away/);
    expect(q.depth).toBe(0);
    expect(q.active).toBe(0);
  });
});
