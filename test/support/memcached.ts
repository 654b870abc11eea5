import { ChildProcess, spawn } from 'child_process';
import { acceptsConnections, freePort } from './http';

export interface Memcached {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A memcached of this test's own (Debian's package, installed by the set-up) on 127.0.0.1. */
export async function startMemcached(): Promise<Memcached> {
  const port = await freePort();
  const args = ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '16'];
  if (process.getuid?.() === 0) args.push('-u', 'nobody');
  const child: ChildProcess = spawn('memcached', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => { stderr += String(d); });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`memcached exited: ${stderr}`);
    if (await acceptsConnections(port)) break;
    if (Date.now() > deadline) throw new Error(`memcached did not listen on ${port}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `memcached://127.0.0.1:${port}`,
    port,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}
