import { spawn } from 'child_process';

export interface CommandResult {
  code: number | null;
  output: string;
  timedOut: boolean;
}

const OUTPUT_LIMIT = 1 << 20;

/**
 * Runs a tool with a hard time limit. The tool gets its own process group so that a timeout
 * also ends what it started (the compiler and linker under `go build`).
 */
export function runCommand(
  argv: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; stdin?: string },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let timedOut = false;
    const collect = (b: Buffer): void => {
      if (output.length < OUTPUT_LIMIT) output += b.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, options.timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, output, timedOut }); });
  });
}
