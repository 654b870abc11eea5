import { BoundedQueue, QueueFull } from './bounded-queue';

/** A task whose end the test decides. */
function gate<T = void>(): { promise: Promise<T>; open(v: T): void; fail(e: Error): void } {
  let open!: (v: T) => void;
  let fail!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => { open = res; fail = rej; });
  return { promise, open, fail };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('BoundedQueue', () => {
  it('never runs more than maxConcurrent tasks at once', async () => {
    const q = new BoundedQueue(2);
    let running = 0;
    let peak = 0;
    const gates = Array.from({ length: 6 }, () => gate());
    const done = gates.map((g) => q.run(async () => {
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
    const q = new BoundedQueue(1);
    const order: number[] = [];
    const first = gate();
    const all = [q.run(async () => { order.push(0); await first.promise; })];
    for (let i = 1; i <= 5; i++) all.push(q.run(async () => { order.push(i); }));
    await tick();
    expect(order).toEqual([0]);
    first.open();
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('returns each task its own result, and a failing task frees its slot', async () => {
    const q = new BoundedQueue(1);
    const bad = q.run(async () => { throw new Error('boom'); });
    const good = q.run(async () => 42);
    await expect(bad).rejects.toThrow('boom');
    await expect(good).resolves.toBe(42);
    expect(q.active).toBe(0);
  });

  it('drops a waiting task whose client went away, without running it', async () => {
    const q = new BoundedQueue(1);
    const g = gate();
    const running = q.run(() => g.promise);
    const abort = new AbortController();
    let ranAborted = false;
    const aborted = q.run(async () => { ranAborted = true; }, { signal: abort.signal });
    const after = q.run(async () => 'after');
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
    const q = new BoundedQueue(1);
    const g = gate();
    const abort = new AbortController();
    const running = q.run(() => g.promise, { signal: abort.signal });
    abort.abort();
    g.open();
    await expect(running).resolves.toBeUndefined();
    expect(q.active).toBe(0);
  });

  it('does not run a task whose client had already gone before it was queued', async () => {
    const q = new BoundedQueue(1);
    const g = gate();
    const running = q.run(() => g.promise);
    const abort = new AbortController();
    abort.abort();
    let ran = false;
    const late = q.run(async () => { ran = true; }, { signal: abort.signal });
    late.catch(() => undefined);
    g.open();
    await running;
    await Promise.race([late.catch(() => undefined), tick().then(tick)]);
    expect(ran).toBe(false);
    await expect(late).rejects.toThrow(/went away/);
    expect(q.depth).toBe(0);
    expect(q.active).toBe(0);
  });

  it('lets urgent tasks go ahead of background ones waiting for a slot', async () => {
    const q = new BoundedQueue(1);
    const order: string[] = [];
    const first = gate();
    const all = [q.run(async () => { await first.promise; })];
    all.push(q.run(async () => { order.push('background 1'); }, { background: true }));
    all.push(q.run(async () => { order.push('urgent 1'); }));
    all.push(q.run(async () => { order.push('background 2'); }, { background: true }));
    all.push(q.run(async () => { order.push('urgent 2'); }));
    await tick();
    first.open();
    await Promise.all(all);
    expect(order).toEqual(['urgent 1', 'urgent 2', 'background 1', 'background 2']);
  });

  it('refuses a task when maxWaiting already wait, in the caller\'s words, and takes tasks again once the line is shorter', async () => {
    class Full extends QueueFull {}
    const q = new BoundedQueue(1, { maxWaiting: 2, full: (n) => new Full(`${n} waiting`) });
    const g = gate();
    const running = q.run(() => g.promise);
    const waiting = [q.run(async () => 1), q.run(async () => 2, { background: true })];
    const refused = q.run(async () => 3);
    await expect(refused).rejects.toThrow(new Full('2 waiting'));
    await expect(refused).rejects.toBeInstanceOf(QueueFull);
    g.open();
    await running;
    await expect(Promise.all(waiting)).resolves.toEqual([1, 2]);
    await expect(q.run(async () => 4)).resolves.toBe(4);
  });
});
