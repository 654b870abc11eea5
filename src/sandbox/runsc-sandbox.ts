import { constants as osConstants } from 'os';
import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RunResult, SandboxFailure } from '../contract/run-result';
import { SupervisorChannel } from './supervisor-channel';
import { WarmSandbox } from './warm-sandbox';

/** Where runsc keeps its state and we keep the bundles, and how it is called. */
export interface RunscCommand {
  binary: string;
  platform: string;
  /** runsc's --root (its state). */
  stateDir: string;
  /** One bundle directory per sandbox (its config.json) is made here. */
  bundlesDir: string;
}

/** What a sandbox may take to boot before it counts as failed. */
const BOOT_TIMEOUT_MS = 30_000;
/** How long a supervisor that wrote its result may take to end before it is removed by force. */
const EXIT_GRACE_MS = 3000;
/** runsc's own messages kept from before the sandbox is up (after that stderr is the program's). */
const BOOT_STDERR_BYTES = 4096;
const READY = Buffer.from('ready\n');

/** runsc's global flags: its state, the platform, and no network at the gVisor level. */
function runscFlags(cmd: RunscCommand): string[] {
  return ['--root', cmd.stateDir, `--platform=${cmd.platform}`, '--network=none'];
}

/** Runs `runsc <flags> <args>` to its end; resolves with its exit code (never throws). */
function runscOnce(cmd: RunscCommand, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd.binary, [...runscFlags(cmd), ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    p.on('error', () => resolve({ code: -1, stdout }));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout }));
  });
}

/**
 * One gVisor sandbox run by `runsc run` in the foreground, without Docker: one host process
 * for the sandbox's whole life, its stdin and stdout the supervisor's own (pipes to us), and
 * runsc removing its state and cgroup by itself when the supervisor ends. Warm from the
 * supervisor's ready line on; used for one program, then gone.
 */
export class RunscSandbox implements WarmSandbox {
  private readonly channel: SupervisorChannel;
  readonly result: Promise<RunResult>;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitState?: { code: number | null; signal: NodeJS.Signals | null };
  private destroyed?: Promise<void>;

  private constructor(
    readonly id: string,
    private readonly cmd: RunscCommand,
    private readonly bundle: string,
    private readonly child: ChildProcessWithoutNullStreams,
    maxResultBytes: number,
  ) {
    this.channel = new SupervisorChannel(maxResultBytes);
    this.result = this.channel.result;
    // 'close', not 'exit': the result line may still sit in the pipe when the process has ended.
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => {
      this.exitState = { code, signal };
      this.channel.fail('sandbox ended without a result');
      resolve(this.exitState);
    }));
    child.stdout.on('data', (chunk: Buffer) => this.channel.onStdout(chunk));
    child.stdin.on('error', () => undefined); // a sandbox that ended: seen on exit
  }

  /** Writes the bundle, starts `runsc run` and waits for the supervisor's ready line. */
  static async start(cmd: RunscCommand, name: string, config: object, maxResultBytes: number): Promise<RunscSandbox> {
    const bundle = path.join(cmd.bundlesDir, name);
    fs.mkdirSync(bundle, { mode: 0o700 });
    fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(config));
    const child = spawn(cmd.binary, [...runscFlags(cmd), 'run', '--bundle', bundle, name], { stdio: ['pipe', 'pipe', 'pipe'] });
    const sandbox = new RunscSandbox(name, cmd, bundle, child, maxResultBytes);
    try {
      await sandbox.booted();
      return sandbox;
    } catch (e) {
      await sandbox.destroy();
      throw e;
    }
  }

  private booted(): Promise<void> {
    const { child } = this;
    return new Promise<void>((resolve, reject) => {
      let seen = Buffer.alloc(0);
      let stderr = '';
      const onErr = (d: Buffer): void => { if (stderr.length < BOOT_STDERR_BYTES) stderr += d.toString('utf8'); };
      const timer = setTimeout(() => done(new SandboxFailure(`runsc did not boot the sandbox within ${BOOT_TIMEOUT_MS / 1000} s`)), BOOT_TIMEOUT_MS);
      const onOut = (d: Buffer): void => {
        seen = Buffer.concat([seen, d]).subarray(0, READY.length);
        if (seen.length < READY.length) return;
        done(seen.equals(READY) ? null : new SandboxFailure('the sandbox supervisor did not announce itself'));
      };
      const onExit = (code: number | null): void => done(new SandboxFailure(`runsc ended (${code}) before the sandbox was up: ${stderr.trim().slice(0, 500)}`));
      const onSpawnError = (e: Error): void => done(new SandboxFailure(`starting runsc failed: ${e.message}`));
      const done = (e: Error | null): void => {
        clearTimeout(timer);
        child.stdout.off('data', onOut);
        child.off('exit', onExit);
        child.off('error', onSpawnError);
        // From here on stderr is the program's to write to (/proc/1/fd/2): read, never kept.
        child.stderr.off('data', onErr);
        child.stderr.resume();
        if (e) reject(e);
        else resolve();
      };
      child.stdout.on('data', onOut);
      child.stderr.on('data', onErr);
      child.once('exit', onExit);
      child.once('error', onSpawnError);
    });
  }

  get dead(): boolean {
    return this.channel.settled;
  }

  send(binary: Buffer, args: string[], loader: string[] = []): void {
    for (const part of this.channel.request(binary, args, loader)) this.child.stdin.write(part);
    this.child.stdin.end();
  }

  /**
   * No daemon stands between us and the sandbox, so a sandbox that ended without a result and
   * that we did not stop was ended by what ran in it: gVisor, or the host's cgroup, stopped it
   * at its memory or process limit (its status as a shell reports it: 128+N for signal N). A
   * SIGTERM (143) is someone stopping it from outside.
   */
  async exitOnItsOwn(): Promise<number | null> {
    const late = new Promise<undefined>((r) => setTimeout(() => r(undefined), EXIT_GRACE_MS).unref());
    const state = this.exitState ?? (await Promise.race([this.exited, late]));
    if (!state || this.destroyed) return null;
    if (state.signal === 'SIGTERM' || state.code === 128 + 15) return null;
    if (state.signal !== null) return 128 + (osConstants.signals[state.signal as keyof typeof osConstants.signals] ?? 9);
    return state.code !== 0 ? state.code : null;
  }

  destroy(): Promise<void> {
    if (!this.destroyed) {
      const finished = this.channel.settled && this.exitState === undefined;
      this.channel.fail('sandbox destroyed');
      this.destroyed = this.teardown(finished);
    }
    return this.destroyed;
  }

  /**
   * A supervisor that wrote its result ends by itself a moment later, and runsc cleans up behind
   * it; anything else (a program still running, a client gone) is killed and deleted at once.
   */
  private async teardown(finished: boolean): Promise<void> {
    const ended = this.exitState ? Promise.resolve() : this.exited.then(() => undefined);
    const within = (ms: number): Promise<boolean> => Promise.race([ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
    if (!this.exitState && !(finished && (await within(EXIT_GRACE_MS)))) {
      // Killing every process of the container ends the sandbox in tens of milliseconds and
      // lets runsc run clean up; `delete --force` on a running sandbox waits seconds to stop it.
      await runscOnce(this.cmd, ['kill', '--all', this.id, 'KILL']);
      if (!(await within(EXIT_GRACE_MS))) {
        await runscOnce(this.cmd, ['delete', '--force', this.id]);
        if (!(await within(EXIT_GRACE_MS))) this.child.kill('SIGKILL');
      }
    }
    fs.rmSync(this.bundle, { recursive: true, force: true });
  }
}

/**
 * Removes sandboxes (and bundles) a crash left behind, found by the name prefix in our own runsc
 * state directory, which nobody else uses.
 */
export async function removeLeftoverSandboxes(cmd: RunscCommand, prefix: string): Promise<number> {
  const listed = await runscOnce(cmd, ['list', '--quiet']);
  const ids = listed.stdout.split('\n').map((l) => l.trim()).filter((id) => id.startsWith(prefix));
  await Promise.all(ids.map(async (id) => {
    await runscOnce(cmd, ['kill', '--all', id, 'KILL']);
    await runscOnce(cmd, ['delete', '--force', id]);
  }));
  let bundles = 0;
  for (const entry of fs.existsSync(cmd.bundlesDir) ? fs.readdirSync(cmd.bundlesDir) : []) {
    if (!entry.startsWith(prefix)) continue;
    fs.rmSync(path.join(cmd.bundlesDir, entry), { recursive: true, force: true });
    bundles++;
  }
  return Math.max(ids.length, bundles);
}
