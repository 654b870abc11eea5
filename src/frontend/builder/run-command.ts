import { spawn } from 'child_process';

export interface CommandResult {
  code: number | null;
  /** stdout and stderr as they interleaved (what a build reports). */
  output: string;
  /** stdout alone (a formatter's result). */
  stdout: string;
  timedOut: boolean;
  /** What the command wrote to each collected extra descriptor, by position in extraFds. */
  extra: string[];
}

export interface CommandOptions {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  cwd?: string;
  stdin?: string;
  /** Who the command runs as (only a root process may say). */
  user?: { uid: number; gid: number };
  /**
   * Extra file descriptors from fd 3 on: a buffer the command reads (bubblewrap's seccomp
   * filter), or `'collect'` for one it writes (bubblewrap's status), returned in `extra`.
   */
  extraFds?: Array<Buffer | 'collect'>;
}

const OUTPUT_LIMIT = 1 << 20;

/**
 * Runs a tool with a hard time limit. The tool gets its own process group so that a timeout
 * also ends what it started; what it printed until then is kept.
 */
export function runCommand(argv: string[], options: CommandOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const extraFds = options.extraFds ?? [];
    const child = spawn(argv[0], argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe', ...extraFds.map(() => 'pipe' as const)],
      ...(options.user ?? {}),
    });
    let output = '';
    let stdout = '';
    let timedOut = false;
    child.stdout!.on('data', (b: Buffer) => {
      if (stdout.length < OUTPUT_LIMIT) stdout += b.toString('utf8');
      if (output.length < OUTPUT_LIMIT) output += b.toString('utf8');
    });
    child.stderr!.on('data', (b: Buffer) => {
      if (output.length < OUTPUT_LIMIT) output += b.toString('utf8');
    });
    const extra = extraFds.map(() => '');
    extraFds.forEach((fd, i) => {
      const stream = child.stdio[3 + i] as import('stream').Duplex;
      stream.on('error', () => undefined);
      if (fd === 'collect') stream.on('data', (b: Buffer) => { if (extra[i].length < OUTPUT_LIMIT) extra[i] += b.toString('utf8'); });
      else stream.end(fd);
    });
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(options.stdin ?? '');
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, options.timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, output, stdout, timedOut, extra }); });
  });
}
