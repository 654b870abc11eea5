import { ContainerPool } from './container-pool';
import { RunResult } from '../contract/run-result';
import { WarmSandbox } from './warm-sandbox';

/** A sandbox that is only bookkeeping: the pool's logic, not any engine's, is under test. */
class CountedSandbox implements WarmSandbox {
  readonly result = new Promise<RunResult>(() => undefined);
  destroyed = false;
  constructor(readonly id: string) {}
  get dead(): boolean { return this.destroyed; }
  send(): void {}
  async exitOnItsOwn(): Promise<number | null> { return null; }
  async destroy(): Promise<void> { this.destroyed = true; }
}

const observer = { containerStarted: (): void => undefined, readyChanged: (): void => undefined };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('ContainerPool growing while idle', () => {
  let starts = 0;
  let inFlight = 0;
  let mostInFlight = 0;
  const launch = async (name: string): Promise<WarmSandbox> => {
    starts++;
    inFlight++;
    mostInFlight = Math.max(mostInFlight, inFlight);
    await sleep(20);
    inFlight--;
    return new CountedSandbox(name);
  };
  beforeEach(() => { starts = 0; mostInFlight = 0; });

  it('grows one start at a time to its idle size once no run came for a second, and not before', async () => {
    const pool = new ContainerPool('p', 'x_', launch, 1, observer, 3);
    pool.start();
    await sleep(300);
    expect(pool.readyCount).toBe(1); // idle for less than a second: its size only
    await sleep(2000);
    expect(pool.readyCount).toBe(3);
    expect(mostInFlight).toBe(1);
    await pool.stop();
  });

  it('gives every acquire its own sandbox and, under load, replaces only up to its size', async () => {
    const pool = new ContainerPool('p', 'x_', launch, 1, observer, 3);
    pool.start();
    await sleep(2300);
    expect(pool.readyCount).toBe(3);
    const before = starts;
    const taken = [await pool.acquire(), await pool.acquire()];
    await sleep(100);
    expect(new Set(taken.map((t) => t.id)).size).toBe(2);
    expect(pool.readyCount).toBe(1); // the stock left, not topped up to 3
    expect(starts).toBe(before);
    await pool.acquire();
    await sleep(100);
    expect(pool.readyCount).toBe(1); // below its size: one replacement
    expect(starts).toBe(before + 1);
    await pool.stop();
  }, 10_000);

  it('does not grow when its idle size is its size', async () => {
    const pool = new ContainerPool('p', 'x_', launch, 2, observer);
    pool.start();
    await sleep(1600);
    expect(pool.readyCount).toBe(2);
    expect(starts).toBe(2);
    await pool.stop();
  });
});
