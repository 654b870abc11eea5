/**
 * CPU that sandbox runs cost outside the stack's own process, for the sandbox-run benchmark:
 * the sandboxes' cgroups (gVisor's sentry, gofer and the program), Docker's shims and the runsc
 * commands they run (found through process accounting, acct(2), and told apart from other
 * users' by the container ids in our cgroup), and Docker's daemons (machine-wide).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dockerDaemonsCpuMs } from './proc';

/** CPU milliseconds used so far in the cgroup `parent` and every cgroup under it, removed ones included. */
export function cgroupCpuMs(parent: string): number {
  const v1 = `/sys/fs/cgroup/cpuacct/${parent}/cpuacct.usage`;
  if (fs.existsSync(v1)) return Number(fs.readFileSync(v1, 'utf8')) / 1e6;
  const v2 = `/sys/fs/cgroup/${parent}/cpu.stat`;
  if (fs.existsSync(v2)) return Number(/usage_usec (\d+)/.exec(fs.readFileSync(v2, 'utf8'))?.[1] ?? 0) / 1e3;
  return 0;
}

/** The container ids (cgroup directory names) currently under `parent`. */
function cgroupChildren(parent: string): string[] {
  for (const dir of [`/sys/fs/cgroup/cpuacct/${parent}`, `/sys/fs/cgroup/${parent}`]) {
    try {
      return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      // not this hierarchy
    }
  }
  return [];
}

/** Turns process accounting on into `file` (root only; python3 makes the acct(2) call), or off with null. */
function acct(file: string | null): boolean {
  try {
    execFileSync('python3', ['-c', 'import ctypes,sys; a=sys.argv[1]; sys.exit(0 if ctypes.CDLL(None).acct(a.encode() if a else None)==0 else 1)', file ?? ''], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface AcctRecord { pid: number; ppid: number; cpuMs: number; comm: string }

/** acct_v3 records (64 bytes each); CPU times are comp_t (13-bit mantissa, base-8 exponent) in 1/100 s. */
function readAcct(file: string): AcctRecord[] {
  const b = fs.readFileSync(file);
  const comp = (v: number): number => (v & 0x1fff) << (3 * ((v >> 13) & 7));
  const out: AcctRecord[] = [];
  for (let o = 0; o + 64 <= b.length; o += 64) {
    if (b[o + 1] !== 3) continue;
    out.push({
      pid: b.readUInt32LE(o + 16),
      ppid: b.readUInt32LE(o + 20),
      cpuMs: (comp(b.readUInt16LE(o + 32)) + comp(b.readUInt16LE(o + 34))) * 10,
      comm: b.subarray(o + 48, o + 64).toString('latin1').replace(/\0[\s\S]*$/, ''),
    });
  }
  return out;
}

/**
 * Watches one measured phase: the shims serving containers in our cgroup (their ids are the
 * cgroup's directories) are noted while they live, so that their accounting records, and those
 * of the runsc commands they started, can be told apart from other Docker users' afterwards.
 */
export class ShimWatch {
  private readonly file = path.join(os.tmpdir(), `bench-acct-${process.pid}-${Date.now()}`);
  private readonly shims = new Set<number>();
  private timer?: NodeJS.Timeout;
  readonly accounting: boolean;

  constructor(private readonly cgroupParent: string) {
    fs.writeFileSync(this.file, '');
    this.accounting = acct(this.file);
    this.timer = setInterval(() => this.look(), 50);
  }

  private look(): void {
    const ids = new Set(cgroupChildren(this.cgroupParent));
    if (!ids.size) return;
    for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
      try {
        if (!fs.readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('containerd-shim')) continue;
        const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        const id = args[args.indexOf('-id') + 1];
        if (id && ids.has(id)) this.shims.add(Number(pid));
      } catch {
        // gone meanwhile
      }
    }
  }

  /** Stops; the CPU milliseconds of our shims and of the processes they started (runsc commands), or null without accounting. */
  stop(): number | null {
    clearInterval(this.timer);
    if (!this.accounting) return null;
    acct(null);
    const records = readAcct(this.file);
    fs.rmSync(this.file, { force: true });
    return records.filter((r) => this.shims.has(r.pid) || this.shims.has(r.ppid)).reduce((a, r) => a + r.cpuMs, 0);
  }
}

export { dockerDaemonsCpuMs };
