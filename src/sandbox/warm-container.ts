import type Docker from 'dockerode';
import * as net from 'net';
import { Writable } from 'stream';
import type { Duplex } from 'stream';
import { RunResult, SandboxFailure } from '../contract/run-result';
import { SupervisorChannel } from './supervisor-channel';
import { WarmSandbox } from './warm-sandbox';

const REMOVE_RETRIES = 30;
const REMOVE_RETRY_MS = 2000;
/** How long a container whose output closed may take to be seen as exited. */
const EXIT_NOTICE_MS = 3000;
/** A container's status when SIGKILL ended it, the memory limit's way. */
const KILLED = 128 + 9;

/**
 * Removes a container and never throws. When Docker cannot be reached (a daemon restart), the
 * removal is retried in the background for a minute, so that the containers of runs that
 * failed meanwhile are not left behind until the next start-up sweep.
 */
function removeContainer(container: Docker.Container, retries = REMOVE_RETRIES): Promise<void> {
  return container.remove({ force: true }).then(() => undefined, (e: { statusCode?: number }) => {
    if (e?.statusCode === 404 || retries <= 0) return; // gone already, or give up
    setTimeout(() => void removeContainer(container, retries - 1), REMOVE_RETRY_MS).unref();
  });
}

/**
 * One pre-started sandbox container whose supervisor is waiting for a program on stdin. It is
 * used for exactly one program and then destroyed.
 */
export class WarmContainer implements WarmSandbox {
  private readonly channel: SupervisorChannel;
  readonly result: Promise<RunResult>;
  private destroyed?: Promise<void>;

  private constructor(
    private readonly container: Docker.Container,
    private readonly stream: Duplex,
    docker: Docker,
    maxResultBytes: number,
  ) {
    this.channel = new SupervisorChannel(maxResultBytes);
    this.result = this.channel.result;
    const stdout = new Writable({ write: (chunk: Buffer, _enc, done) => { this.channel.onStdout(chunk); done(); } });
    // The container's stderr is dropped unread: the program can write to it (/proc/1/fd/2),
    // so nothing on it may reach a message. The supervisor reports its own failures in the
    // result line ("internal: ...").
    const stderr = new Writable({ write: (_chunk, _enc, done) => done() });
    docker.modem.demuxStream(stream, stdout, stderr);
    stream.on('end', () => this.channel.fail('sandbox container closed its output without a result'));
    stream.on('close', () => this.channel.fail('sandbox container connection closed without a result'));
    stream.on('error', (e) => this.channel.fail(`sandbox container stream failed: ${e.message}`));
  }

  /** Creates, attaches to (before start, so no byte is missed) and starts one container. */
  /** maxResultBytes: what the result line may take (both streams, base64); past it the run fails. */
  static async start(docker: Docker, options: Docker.ContainerCreateOptions, maxResultBytes: number): Promise<WarmContainer> {
    const container = await docker.createContainer(options);
    try {
      const stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as unknown as Duplex;
      const warm = new WarmContainer(container, stream, docker, maxResultBytes);
      await container.start();
      return warm;
    } catch (e) {
      await removeContainer(container);
      throw e;
    }
  }

  get id(): string {
    return this.container.id;
  }

  /** True once the container can no longer take a program (its stream ended). */
  get dead(): boolean {
    return this.channel.settled;
  }

  /** Hands the program to the supervisor. */
  send(binary: Buffer, args: string[], loader: string[] = []): void {
    for (const part of this.channel.request(binary, args, loader)) this.stream.write(part);
  }

  /**
   * The exit code of a container that ended by itself (its program exhausted memory or
   * processes and took the sandbox down), or null when Docker failed rather than the program.
   * Docker's OOMKilled flag is not enough: when gVisor's sandbox is killed before Docker reads
   * the cgroup's OOM event the flag stays false (seen about once in ten memory bombs on a busy
   * machine), so a SIGKILL (137) we did not send counts as the program's too.
   * Not the program: a container we destroyed, an exit by SIGTERM (143: Docker stopping the
   * container from outside), or any death while the daemon refuses new connections (a daemon
   * shutting down closes its API first, then stops the containers; under runc the supervisor,
   * as PID 1, then exits with status 2, like a supervisor a fork bomb crashed).
   */
  async exitOnItsOwn(): Promise<number | null> {
    try {
      let state = (await this.container.inspect()).State;
      if (state?.Running) {
        // The output closes a moment before Docker records the exit; on a busy machine the
        // first look still sees it running, which would blame Docker for the program's doing.
        await this.exitedWithin(EXIT_NOTICE_MS);
        state = (await this.container.inspect()).State;
      }
      if (state?.OOMKilled) return state.ExitCode || KILLED;
      if (state?.Status === 'exited' && state.ExitCode === 128 + 15) return null;
      const died = Boolean((state?.Status === 'exited' && state.ExitCode !== 0) || state?.Status === 'dead');
      if (!died || this.destroyed || !(await this.dockerAcceptsConnections())) return null;
      return state?.ExitCode || KILLED;
    } catch {
      return null;
    }
  }

  private async exitedWithin(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); });
    const exited = this.container.wait({ condition: 'not-running' }).then(() => undefined, () => undefined);
    await Promise.race([exited, late]);
    clearTimeout(timer);
  }

  /** Whether the Docker daemon accepts a new connection (inspect may still ride a kept-alive one). */
  private async dockerAcceptsConnections(): Promise<boolean> {
    const modem = this.container.modem as { socketPath?: unknown; getSocketPath?: () => Promise<string>; host?: string; port?: string | number };
    let target: net.NetConnectOpts;
    if (modem.socketPath && modem.getSocketPath) target = { path: await modem.getSocketPath() };
    else if (modem.host) target = { host: modem.host, port: Number(modem.port ?? 2375) };
    else return true;
    return new Promise((resolve) => {
      const socket = net.connect(target);
      socket.setTimeout(2000, () => { socket.destroy(); resolve(false); });
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
  }

  /** Removes the container; safe to call more than once and never throws. */
  destroy(): Promise<void> {
    if (!this.destroyed) {
      this.channel.fail('sandbox container destroyed');
      this.stream.destroy();
      this.destroyed = removeContainer(this.container);
    }
    return this.destroyed;
  }
}
