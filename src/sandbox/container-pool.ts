import { randomBytes } from 'crypto';
import { Logger } from '@nestjs/common';
import { SandboxLauncher, WarmSandbox } from './warm-sandbox';
import { SandboxFailure } from '../contract/run-result';

export interface PoolObserver {
  containerStarted(pool: string, seconds: number): void;
  readyChanged(pool: string, ready: number): void;
}

interface Waiter {
  resolve(c: WarmSandbox): void;
  reject(e: Error): void;
}

/** How long no run must have come before the pool grows past its size. */
const IDLE_MS = 1000;
/** How often an idle pool looks whether to grow by one more. */
const GROW_CHECK_MS = 250;

/**
 * Keeps `size` sandboxes started and waiting, so a run skips the container start. Every acquire
 * takes a sandbox for good and starts a replacement behind it.
 *
 * While no run comes (IDLE_MS), the pool grows one start at a time up to `idleSize`: a burst
 * then finds its sandboxes booted instead of waiting for starts that compete with its programs
 * for the CPU. Under load the extra stock is used up and not replaced (only `size` is), so the
 * pool shrinks back by itself and starts give the CPU to runs.
 */
export class ContainerPool {
  private readonly log: Logger;
  private ready: WarmSandbox[] = [];
  private waiters: Waiter[] = [];
  private starting = 0;
  private readonly startsInFlight = new Set<Promise<void>>();
  /** Until start(): a runner that cannot run (no NaCl loader) never starts containers. */
  private stopped = true;
  private backoffMs = 0;
  private retryTimer?: NodeJS.Timeout;
  /** Sandboxes wanted beyond `size`, grown while idle and dropped at the next acquire. */
  private reserve = 0;
  private lastAcquire = 0;
  private growTimer?: NodeJS.Timeout;
  lastError: string | null = null;

  constructor(
    readonly name: string,
    private readonly namePrefix: string,
    private readonly launch: SandboxLauncher,
    private size: number,
    private readonly observer: PoolObserver,
    private readonly idleSize = size,
  ) {
    this.log = new Logger(`pool:${name}`);
  }

  get readyCount(): number {
    return this.ready.length;
  }

  start(): void {
    this.stopped = false;
    this.lastAcquire = Date.now(); // a pool that just started is not idle yet
    this.fill();
    if (this.idleSize > this.size) {
      this.growTimer = setInterval(() => this.growWhileIdle(), GROW_CHECK_MS);
      this.growTimer.unref();
    }
  }

  private growWhileIdle(): void {
    const idle = Date.now() - this.lastAcquire >= IDLE_MS && this.waiters.length === 0 && this.starting === 0;
    if (!idle || this.stopped || this.size === 0 || this.ready.length < this.size + this.reserve) return;
    if (this.size + this.reserve >= this.idleSize) return;
    this.reserve++;
    this.fill();
  }

  /** Takes a started container, waiting for one when none is ready. */
  acquire(): Promise<WarmSandbox> {
    if (this.stopped) return Promise.reject(new SandboxFailure(`pool ${this.name} is stopped`));
    for (const c of this.ready.filter((x) => x.dead)) this.discard(c);
    this.lastAcquire = Date.now();
    this.reserve = 0;
    const warm = this.ready.shift();
    const promise = warm
      ? Promise.resolve(warm)
      : new Promise<WarmSandbox>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.observer.readyChanged(this.name, this.ready.length);
    this.fill();
    return promise;
  }

  /** Changes how many containers are kept warm (0 drains the pool). */
  resize(size: number): void {
    this.size = size;
    this.reserve = 0;
    while (this.ready.length > size) void this.ready.pop()!.destroy();
    this.observer.readyChanged(this.name, this.ready.length);
    this.fill();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.growTimer);
    for (const w of this.waiters.splice(0)) w.reject(new SandboxFailure(`pool ${this.name} is shutting down`));
    await Promise.all(this.ready.splice(0).map((c) => c.destroy()));
    // A start under way at shutdown removes its own container once it sees `stopped`.
    await Promise.all([...this.startsInFlight]);
  }

  /** Drops a dead container from the warm stock, removes it and starts a replacement. */
  private discard(warm: WarmSandbox): void {
    const i = this.ready.indexOf(warm);
    if (i < 0) return; // taken by a run, or already dropped
    this.ready.splice(i, 1);
    void warm.destroy();
    this.observer.readyChanged(this.name, this.ready.length);
    this.fill();
  }

  private fill(): void {
    if (this.stopped || this.retryTimer) return;
    // Each waiting run gets a start of its own on top of the warm stock; starts are capped
    // because on a small machine parallel container starts only slow each other down.
    const wanted = this.size + this.reserve + this.waiters.length;
    const maxStarting = Math.max(2, this.size);
    while (this.ready.length + this.starting < wanted && this.starting < maxStarting) {
      this.starting++;
      const started = this.startOne().finally(() => this.startsInFlight.delete(started));
      this.startsInFlight.add(started);
    }
  }

  private async startOne(): Promise<void> {
    const began = process.hrtime.bigint();
    try {
      const name = `${this.namePrefix}${this.name}_${randomBytes(6).toString('hex')}`;
      const warm = await this.launch(name);
      this.observer.containerStarted(this.name, Number(process.hrtime.bigint() - began) / 1e9);
      this.backoffMs = 0;
      this.lastError = null;
      this.starting--;
      if (this.stopped) {
        await warm.destroy();
        return;
      }
      const waiter = this.waiters.shift();
      if (waiter) waiter.resolve(warm);
      else {
        this.ready.push(warm);
        // One that dies while it waits (Docker restarted) is removed and replaced at once.
        warm.result.catch(() => this.discard(warm));
      }
      this.observer.readyChanged(this.name, this.ready.length);
    } catch (e) {
      this.starting--;
      this.lastError = `starting a container failed: ${(e as Error).message}`;
      this.log.warn(this.lastError);
      // Whoever waits longest learns why at once instead of hanging while Docker is down.
      this.waiters.shift()?.reject(new SandboxFailure(this.lastError));
      this.backoffMs = Math.min(10_000, Math.max(250, this.backoffMs * 2));
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.fill();
      }, this.backoffMs);
      this.retryTimer.unref();
      return;
    }
    this.fill();
  }
}
