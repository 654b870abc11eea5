import type Docker from 'dockerode';
import * as fs from 'fs';
import * as path from 'path';
import { BinaryRunner } from './binary-runner';
import { ContainerPool, PoolObserver } from './container-pool';
import { ContainerConfinement, SandboxLimits, sandboxContainerSpec } from './container-spec';
import { RunResult, SandboxFailure, TIMEOUT_ERROR } from '../contract/run-result';
import { WarmContainer } from './warm-container';
import { maxResultBytes } from './supervisor-channel';
import { SandboxEngine } from './warm-sandbox';
import { varDir } from '../platform/paths';

export interface PooledRunnerOptions {
  id: string;
  accepts: string;
  legacy?: boolean;
  runtime: string;
  image: string;
  namePrefix: string;
  poolSize: number;
  limits: SandboxLimits;
  matches(binary: Buffer): boolean;
  /** Command prefix that runs the binary inside the container (the NaCl loader); none by default. */
  loader?: string[];
  /** A reason this runner cannot work (missing loader, …), checked before anything starts. */
  unavailableReason?: () => string | null;
  /** Replaces the default health check (running our supervisor binary as the program). */
  healthCheck?: () => Promise<void>;
  /** Adjusts a finished run's result (the legacy path maps its own wording). */
  mapResult?: (r: RunResult) => RunResult;
  /** Extra confinement, asked for each container started (a fresh user per run, a seccomp profile). */
  confinement?: () => ContainerConfinement;
  /** Starts the sandboxes some other way than as Docker containers of `image` under `runtime`. */
  engine?: SandboxEngine;
  /** The cgroup Docker puts the containers under (its default when not given). */
  cgroupParent?: string;
  /** Warm sandboxes kept while no run comes (at least poolSize); see ContainerPool. */
  idlePoolSize?: number;
}


/** Headroom past the run timeout before the host gives up on a supervisor that went silent. */
const BACKSTOP_MS = 3000;

/**
 * Runs binaries in fresh containers taken from a warm pool. The answer is sent as soon as the
 * supervisor reports the program's end; the container is removed behind it.
 */
export class PooledContainerRunner implements BinaryRunner {
  readonly id: string;
  readonly accepts: string;
  readonly legacy: boolean;
  readonly configuredPoolSize: number;
  private readonly pool: ContainerPool;

  constructor(docker: Docker, private readonly options: PooledRunnerOptions, observer: PoolObserver) {
    this.id = options.id;
    this.accepts = options.accepts;
    this.legacy = options.legacy ?? false;
    this.configuredPoolSize = options.poolSize;
    const { engine } = options;
    const spec = (name: string): Docker.ContainerCreateOptions => sandboxContainerSpec({
      image: options.image, runtime: options.runtime, name, pool: options.id, limits: options.limits, confinement: options.confinement?.(), cgroupParent: options.cgroupParent,
    });
    this.pool = new ContainerPool(
      options.id,
      options.namePrefix,
      engine ? (name) => engine.launch(name) : (name) => WarmContainer.start(docker, spec(name), maxResultBytes(options.limits)),
      options.poolSize,
      observer,
      options.idlePoolSize,
    );
  }

  matches(binary: Buffer): boolean {
    return this.options.matches(binary);
  }

  unavailableReason(): string | null {
    return this.options.unavailableReason?.() ?? this.options.engine?.unavailableReason() ?? null;
  }

  get poolError(): string | null {
    return this.pool.lastError;
  }

  get poolReady(): number {
    return this.pool.readyCount;
  }

  /** Docker's leftovers are RunService's to remove (every pool's at once); an engine's, its own. */
  private async removeLeftovers(): Promise<void> {
    await this.options.engine?.removeLeftovers(`${this.options.namePrefix}${this.id}_`);
  }

  async start(): Promise<void> {
    if (this.unavailableReason() !== null) return;
    await this.removeLeftovers();
    this.pool.start();
  }

  async stop(): Promise<void> {
    await this.pool.stop();
    await this.removeLeftovers();
  }

  resize(size: number): void {
    this.pool.resize(size);
  }

  async run(binary: Buffer, args: string[], signal?: AbortSignal): Promise<RunResult> {
    const why = this.unavailableReason();
    if (why) throw new SandboxFailure(why);
    const container = await this.pool.acquire();
    // A client that hung up while this run waited for a container never gets an abort event
    // (the signal is already aborted), so it is checked here before the program is sent.
    if (signal?.aborted) {
      void container.destroy();
      throw new SandboxFailure('the client went away before the run started');
    }
    const onAbort = (): void => void container.destroy();
    signal?.addEventListener('abort', onAbort, { once: true });
    let backstop: NodeJS.Timeout | undefined;
    try {
      container.send(binary, args, this.options.loader);
      const silent = new Promise<'silent'>((resolve) => {
        backstop = setTimeout(() => resolve('silent'), this.options.limits.runTimeoutMs + BACKSTOP_MS);
      });
      const outcome = await Promise.race([container.result, silent]);
      if (outcome === 'silent') {
        return { error: TIMEOUT_ERROR, exitCode: -1, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
      }
      return this.options.mapResult ? this.options.mapResult(outcome) : outcome;
    } catch (e) {
      if (!(e instanceof SandboxFailure) || signal?.aborted) throw e;
      // A program that took its container down (memory, processes) gets an answer, as on the Go
      // playground: the container's exit status (137 for the memory limit's SIGKILL) and no
      // output, since the supervisor died with it.
      const exitCode = await container.exitOnItsOwn();
      if (exitCode === null) throw e;
      return { exitCode, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
    } finally {
      clearTimeout(backstop);
      signal?.removeEventListener('abort', onAbort);
      void container.destroy(); // behind the answer: the caller does not wait for teardown
    }
  }

  async healthCheck(): Promise<void> {
    if (this.options.healthCheck) return this.options.healthCheck();
    const binary = fs.readFileSync(path.join(varDir(), 'bin', 'sandbox-supervisor'));
    const r = await this.run(binary, ['healthcheck-echo']);
    if (r.error || r.exitCode !== 0 || r.stdout.toString() !== 'ok\n') {
      throw new SandboxFailure(`health program answered exit ${r.exitCode}, error "${r.error ?? ''}", stdout ${JSON.stringify(r.stdout.toString().slice(0, 100))}`);
    }
  }
}
