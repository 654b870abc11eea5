import { Logger } from '@nestjs/common';
import * as fs from 'fs';
import * as path from 'path';
import { CommandResult, runCommand } from '../run-command';
import { makeWorkDir, removeWorkDir } from '../work-dir';
import { BadProgramError } from '../bad-program.error';
import { SandboxFailure } from '../../../contract/run-result';
import { FRONTEND_USER, lookupUser } from '../../../platform/service-users';
import { bwrapArgs, SandboxMount } from './bwrap-args';
import { BuildCgroup, BuildCgroups } from './build-cgroup';
import { ModuleProxyRelay, RELAY_SOCKET, RelaySession } from './module-proxy-relay';
import { IN_SANDBOX, SANDBOX_PROXY_ADDR } from './sandbox-layout';
import { buildSandboxSeccompFilter } from './seccomp-filter';

/** The sandbox itself could not run the tool (not the program's doing): a 503, never cached. */
class BuildSandboxFailure extends SandboxFailure {}

export interface BuildSandboxOptions {
  /** build-helper on the host (built by the set-up). */
  helper: string;
  bwrap: string;
  /** Where each toolchain's shared build cache lives: <cacheRoot>/<go version>. */
  cacheRoot: string;
  memoryBytes: number;
  pids: number;
  tmpfsBytes: number;
  /** Largest file a tool may write (the binary limit, with headroom). */
  fileBytes: number;
  cgroups: BuildCgroups | null;
  relay: ModuleProxyRelay;
}

/** What a tool run needs of its toolchain. */
export interface SandboxToolchain {
  goroot: string;
  version: string;
}

/** A request's private directory on the host; the sandbox sees only its parts. */
export interface Workspace {
  src: string;
  out: string;
  cache: string;
  /** Writes one of the request's files (a validated relative name) under src, owned by the sandbox's user. */
  write(name: string, data: string): void;
  remove(): void;
  /** Who the sandbox runs as for this workspace (undefined: this process's own user). */
  readonly user?: { uid: number; gid: number };
}

export interface ToolRun {
  toolchain: SandboxToolchain;
  /** The command inside the sandbox, e.g. ['/goroot/bin/go', 'build', …]. */
  command: string[];
  env: Record<string, string>;
  timeoutMs: number;
  stdin?: string;
  /** Give the tool its way to the module proxy (go build, go test -c): nothing else gets one. */
  moduleProxy?: boolean;
  lowPriority?: boolean;
  /** Extra host files to mount read-only under IN_SANDBOX.tools (goimports). */
  tools?: string[];
  /** The set-up's warm-up fills the shared cache; no user's build ever may. */
  fillSharedCache?: boolean;
}

export interface ToolResult extends CommandResult {
  /** The build hit its memory limit. */
  outOfMemory: boolean;
  /** Something of the moment (the module proxy) failed: the answer must not be cached. */
  transient: boolean;
}

/**
 * The build cache as a tool sees it: the shared one (read-only) with this request's writes in
 * an overlay above it, on the request's own disk so that its build and its vet share them.
 */
const CACHE_LAYER = {
  upper: `${IN_SANDBOX.cache}/layer/upper`,
  work: `${IN_SANDBOX.cache}/layer/work`,
  target: `${IN_SANDBOX.cache}/go`,
};

/** The sandbox's extra descriptors, in the order runCommand's extraFds hands them out from fd 3. */
const BOOTSTRAP_SECCOMP_FD = 3;
const STATUS_FD = 4;
const TOOLS_SECCOMP_FD = 5;

/**
 * Runs go tools over a stranger's files in a sandbox of their own (bubblewrap: every namespace
 * new, the host invisible but for the toolchain and the request's files, an empty network, a
 * seccomp filter, an unprivileged user, cgroup memory and process limits, a time limit). The
 * shared build cache is mounted read-only under a private writable overlay (build-helper
 * enter); modules arrive only through the module proxy relay.
 */
export class BuildSandbox {
  private readonly log = new Logger('build-sandbox');
  /** Who runs the sandbox: this process's user, or the service's unprivileged user when this process is root. */
  readonly user?: { uid: number; gid: number };

  constructor(private readonly options: BuildSandboxOptions) {
    this.user = sandboxUser();
  }

  /**
   * A fresh private directory with the request's three parts. The set-up's warm-up (our own
   * programs, never a user's) runs as the invoking user, so that what it writes into the shared
   * cache belongs to root and stays read-only to every user build.
   */
  workspace(runAs: 'sandbox-user' | 'invoker' = 'sandbox-user'): Workspace {
    const root = makeWorkDir('play-build');
    const parts = { src: path.join(root, 'src'), out: path.join(root, 'out'), cache: path.join(root, 'cache') };
    for (const d of Object.values(parts)) fs.mkdirSync(d, { mode: 0o700 });
    const user = runAs === 'invoker' ? undefined : this.user;
    if (user) for (const d of [root, ...Object.values(parts)]) fs.chownSync(d, user.uid, user.gid);
    const write = (name: string, data: string): void => {
      const file = path.join(parts.src, name);
      // Names were validated by the txtar parser; this is a second lock on the door.
      if (!file.startsWith(parts.src + path.sep)) throw new BadProgramError(`invalid file name "${name}"`);
      const created = fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, data, { mode: 0o600 });
      if (!user) return;
      fs.chownSync(file, user.uid, user.gid);
      // The go command updates go.mod and go.sum in place: what it may change must be its own.
      for (let d = path.dirname(file); created && d.length >= created.length; d = path.dirname(d)) fs.chownSync(d, user.uid, user.gid);
    };
    return { ...parts, write, user, remove: () => removeWorkDir(root) };
  }

  /** The host directory of a toolchain's shared build cache. */
  cacheBase(toolchain: SandboxToolchain): string {
    return path.join(this.options.cacheRoot, toolchain.version);
  }

  /** Why the sandbox cannot run anything here, or null: checked once at start-up. */
  async problem(toolchain: SandboxToolchain): Promise<string | null> {
    for (const [what, file] of [['bubblewrap', this.options.bwrap], ['build-helper', this.options.helper]]) {
      if (!fs.existsSync(file)) return `${what} is missing at ${file} (run the set-up: scripts/setup.sh)`;
    }
    const ws = this.workspace();
    try {
      const r = await this.run(ws, { toolchain, command: [`${IN_SANDBOX.goroot}/bin/go`, 'env', 'GOVERSION'], env: {}, timeoutMs: 30_000 });
      if (r.code !== 0 || r.stdout.trim() !== toolchain.version) return `the build sandbox does not work: ${r.output.trim().slice(0, 300) || `exit ${r.code}`}`;
      return null;
    } catch (e) {
      return (e as Error).message;
    } finally {
      ws.remove();
    }
  }

  async run(ws: Workspace, run: ToolRun): Promise<ToolResult> {
    const relay = run.moduleProxy && this.options.relay.enabled ? await this.options.relay.open() : null;
    let cgroup: BuildCgroup | null = null;
    try {
      if (run.fillSharedCache && ws.user) throw new Error('only a workspace of the invoking user may fill the shared cache');
      cgroup = this.options.cgroups?.create({ memoryBytes: this.options.memoryBytes, pids: this.options.pids }, ws.user) ?? null;
      const argv = [
        ...(cgroup ? [this.options.helper, 'cgexec', ...cgroup.dirs, '--'] : []),
        ...(run.lowPriority ? ['nice', '-n', '19'] : []),
        this.options.bwrap,
        ...bwrapArgs({
          mounts: this.mounts(ws, run, relay),
          env: { GOCACHE: run.fillSharedCache ? IN_SANDBOX.cacheBase : CACHE_LAYER.target, ...run.env },
          cwd: IN_SANDBOX.src,
          tmpfsBytes: this.options.tmpfsBytes,
          seccompFd: BOOTSTRAP_SECCOMP_FD,
          statusFd: STATUS_FD,
          command: [IN_SANDBOX.helper, 'run', ...this.helperFlags(run, cgroup, relay), '--', ...run.command],
        }),
      ];
      const r = await runCommand(argv, {
        env: { PATH: '/usr/bin:/bin' },
        timeoutMs: run.timeoutMs,
        stdin: run.stdin,
        user: ws.user,
        extraFds: [buildSandboxSeccompFilter('bootstrap'), 'collect', buildSandboxSeccompFilter('tools')],
      });
      if (!r.timedOut) this.checkStarted(r);
      return { ...r, outOfMemory: cgroup?.oomKilled() ?? false, transient: (relay?.transientFailures ?? 0) > 0 };
    } finally {
      // Behind the answer: a cgroup is removable only once the kernel has let go of the
      // sandbox's last process, which takes up to a few tens of milliseconds after it exited.
      void cgroup?.release();
      void relay?.close();
    }
  }

  /** A tool that never started means the sandbox failed, whatever the tool would have said. */
  private checkStarted(r: CommandResult): void {
    const started = r.extra[STATUS_FD - 3].includes('"child-pid"');
    if (!started) throw new BuildSandboxFailure(`the build sandbox failed to start: ${r.output.trim().slice(0, 300) || `exit ${r.code}`}`);
    if (r.code === 125 && r.output.startsWith('build-helper: ')) throw new BuildSandboxFailure(`the build sandbox failed: ${r.output.trim().slice(0, 300)}`);
  }

  private mounts(ws: Workspace, run: ToolRun, relay: RelaySession | null): SandboxMount[] {
    const base = this.cacheBase(run.toolchain);
    fs.mkdirSync(base, { recursive: true, mode: 0o755 });
    const mounts: SandboxMount[] = [
      { host: run.toolchain.goroot, inside: IN_SANDBOX.goroot },
      { host: this.options.helper, inside: IN_SANDBOX.helper },
      { host: base, inside: IN_SANDBOX.cacheBase, writable: run.fillSharedCache },
      { host: ws.src, inside: IN_SANDBOX.src, writable: true },
      { host: ws.out, inside: IN_SANDBOX.out, writable: true },
      { host: ws.cache, inside: IN_SANDBOX.cache, writable: true },
    ];
    for (const t of run.tools ?? []) mounts.push({ host: t, inside: `${IN_SANDBOX.tools}/${path.basename(t)}` });
    if (relay) mounts.push({ host: relay.dir, inside: IN_SANDBOX.relay });
    return mounts;
  }

  private helperFlags(run: ToolRun, cgroup: BuildCgroup | null, relay: RelaySession | null): string[] {
    const flags = ['-seccomp', String(TOOLS_SECCOMP_FD), '-limit', `fsize=${this.options.fileBytes}`, '-limit', 'core=0', '-limit', 'nofile=4096'];
    // The warm-up writes the shared cache itself; every other run sees it under a layer of its own.
    if (!run.fillSharedCache) flags.push('-overlay', [IN_SANDBOX.cacheBase, CACHE_LAYER.upper, CACHE_LAYER.work, CACHE_LAYER.target].join(':'));
    // Without a memory cgroup each process gets an address-space cap at least; Go reserves
    // address space generously, so the cap sits well above the memory it will really use.
    if (!cgroup) flags.push('-limit', `as=${Math.max(this.options.memoryBytes * 2, 4 * 2 ** 30)}`);
    if (relay) flags.push('-forward', `${SANDBOX_PROXY_ADDR}=${IN_SANDBOX.relay}/${RELAY_SOCKET}`);
    return flags;
  }
}

/**
 * Who the build sandbox runs as: this process's own user, or when this process is root (the
 * test suite, a misconfigured start) the set-up's unprivileged service user, else nobody.
 */
export function sandboxUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return lookupUser(FRONTEND_USER) ?? { uid: 65534, gid: 65534 };
}
