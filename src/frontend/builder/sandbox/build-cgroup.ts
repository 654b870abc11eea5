import { Logger } from '@nestjs/common';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** The cgroup the set-up delegates to the frontend's user for its builds (scripts/setup.sh). */
const BUILD_CGROUP_NAME = 'playground-builds';
const ROOT = '/sys/fs/cgroup';

export interface BuildCgroupLimits {
  memoryBytes: number;
  pids: number;
}

/** One build's cgroup(s): one per hierarchy under cgroup v1, one under v2. */
export class BuildCgroup {
  constructor(private readonly version: 1 | 2, readonly dirs: string[], private readonly memoryDir: string) {}

  /** Whether the kernel killed a process of the build for exceeding its memory. */
  oomKilled(): boolean {
    const file = path.join(this.memoryDir, this.version === 2 ? 'memory.events' : 'memory.oom_control');
    try {
      return /^oom_kill (\d+)$/m.exec(fs.readFileSync(file, 'utf8'))?.[1] !== '0';
    } catch {
      return false;
    }
  }

  /** Ends whatever is left of the build and removes its cgroups; never throws. */
  async release(): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      for (const d of this.dirs) killAll(d);
      if (this.dirs.every(tryRemove)) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    new Logger('build-cgroup').warn(`could not remove ${this.dirs.join(', ')}; removed at the next start`);
  }
}

function killAll(dir: string): void {
  let pids: string[] = [];
  try {
    pids = fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean);
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

function tryRemove(dir: string): boolean {
  try {
    fs.rmdirSync(dir);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * Memory and process limits for builds, in cgroups the set-up created for the frontend's user
 * and handed over to it (cgroup delegation): each build gets a child cgroup that its sandbox
 * joins before its first instruction (build-helper cgexec). Without them (a machine set up by
 * hand, or `BUILD_CGROUP=off`) builds are bounded by per-process limits only, and the
 * start-up log says so.
 */
export class BuildCgroups {
  private constructor(private readonly version: 1 | 2, private readonly parents: { memory: string; pids: string }) {}

  /** The delegated cgroups, if they exist and are writable here; null otherwise. */
  static detect(setting: string): { cgroups: BuildCgroups | null; reason?: string } {
    if (setting === 'off') return { cgroups: null, reason: 'BUILD_CGROUP=off' };
    const v2 = path.join(ROOT, BUILD_CGROUP_NAME);
    const v1 = { memory: path.join(ROOT, 'memory', BUILD_CGROUP_NAME), pids: path.join(ROOT, 'pids', BUILD_CGROUP_NAME) };
    const usable = (d: string): boolean => {
      try {
        fs.accessSync(d, fs.constants.W_OK);
        return true;
      } catch {
        return false;
      }
    };
    let found: BuildCgroups | null = null;
    if (usable(v1.memory) && usable(v1.pids)) found = new BuildCgroups(1, v1);
    else if (fs.existsSync(path.join(v2, 'cgroup.subtree_control')) && usable(v2)) found = new BuildCgroups(2, { memory: v2, pids: v2 });
    if (!found) return { cgroups: null, reason: `no writable ${BUILD_CGROUP_NAME} cgroup (the set-up creates it when run as root)` };
    found.removeStale();
    return { cgroups: found };
  }

  /** A fresh cgroup for one build, owned by `owner` so that its sandbox may join it. */
  create(limits: BuildCgroupLimits, owner?: { uid: number; gid: number }): BuildCgroup {
    // The creator's pid in the name: a start-up sweep removes only what a dead process left.
    const name = `b-${process.pid}-${randomBytes(6).toString('hex')}`;
    const dirs = [...new Set([this.parents.memory, this.parents.pids])].map((p) => path.join(p, name));
    for (const d of dirs) fs.mkdirSync(d);
    const memory = path.join(this.parents.memory, name);
    const pids = path.join(this.parents.pids, name);
    if (this.version === 1) {
      fs.writeFileSync(path.join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
      writeIfPresent(path.join(memory, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
    } else {
      fs.writeFileSync(path.join(memory, 'memory.max'), String(limits.memoryBytes));
      writeIfPresent(path.join(memory, 'memory.swap.max'), '0');
    }
    fs.writeFileSync(path.join(pids, 'pids.max'), String(limits.pids));
    if (owner) for (const d of dirs) fs.chownSync(path.join(d, 'cgroup.procs'), owner.uid, owner.gid);
    return new BuildCgroup(this.version, dirs, memory);
  }

  /**
   * Builds' cgroups a crashed frontend left behind (their processes died with the sandbox),
   * never those of a frontend still running beside this one.
   */
  private removeStale(): void {
    for (const parent of new Set([this.parents.memory, this.parents.pids])) {
      for (const e of fs.readdirSync(parent, { withFileTypes: true })) {
        const owner = /^b-(\d+)-/.exec(e.name)?.[1];
        if (e.isDirectory() && owner && !alive(Number(owner))) tryRemove(path.join(parent, e.name));
      }
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeIfPresent(file: string, value: string): void {
  try {
    fs.writeFileSync(file, value);
  } catch {
    /* that accounting is off in this kernel */
  }
}
