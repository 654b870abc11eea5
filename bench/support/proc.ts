/** CPU time from /proc (Linux): of one process, and of Docker's long-lived daemons. */
import { execSync } from 'child_process';
import * as fs from 'fs';

/** USER_HZ: the unit of the CPU times in /proc/<pid>/stat (100 on every common Linux). */
const CLK_TCK = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

const ticksToMs = (ticks: number): number => (ticks / CLK_TCK) * 1000;

/** The fields of /proc/<pid>/stat after the command name (which is in parentheses and may contain spaces). */
function statFields(pid: number | string): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * CPU milliseconds of a process (user + system) and of its reaped children (e.g. the go builds
 * of the stack's process). Docker's daemons, runc and runsc are not in it.
 */
export function processCpuMs(pid: number): { own: number; children: number } {
  // After the command: state is field 3, utime 14, stime 15, cutime 16, cstime 17 (1-based, whole line).
  const f = statFields(pid);
  return { own: ticksToMs(Number(f[11]) + Number(f[12])), children: ticksToMs(Number(f[13]) + Number(f[14])) };
}

/**
 * CPU milliseconds of Docker's long-lived daemons (dockerd, containerd): container starts and
 * removals go through them. Machine-wide: other Docker users on this host count too, and
 * short-lived shims, runc and runsc are not included.
 */
export function dockerDaemonsCpuMs(): number {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (comm !== 'dockerd' && comm !== 'containerd') continue;
      const f = statFields(pid);
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // The process went away while we looked.
    }
  }
  return ticksToMs(ticks);
}
