import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acceptsConnections, freePort } from './http';

export interface LoadBalancer {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real load balancer (Debian's HAProxy, installed by the set-up) on 127.0.0.1 in front of the
 * given frontends, configured as a production one would be: health checks on /_ah/health, a
 * request whose connection failed is sent to another frontend (nothing was received, so nothing
 * runs twice), and the client's address passed on in X-Forwarded-For (TRUST_PROXY=1 behind it).
 */
export async function startHaproxy(frontends: string[]): Promise<LoadBalancer> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'play-haproxy-'));
  const servers = frontends.map((u, i) => {
    const { hostname, port: p } = new URL(u);
    if (hostname !== '127.0.0.1') throw new Error(`tests only balance 127.0.0.1, not ${hostname}`);
    return `  server frontend${i} 127.0.0.1:${p} check inter 500ms fall 2 rise 1`;
  });
  const config = [
    'global',
    '  maxconn 512',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 180s',
    '  timeout server 180s',
    // The frontend's health check builds a program (shared for 5 s): seconds on a busy machine.
    '  timeout check 10s',
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure',
    '  option forwardfor',
    `frontend public`,
    `  bind 127.0.0.1:${port}`,
    '  default_backend frontends',
    'backend frontends',
    '  balance leastconn',
    '  option httpchk GET /_ah/health',
    ...servers,
    '',
  ].join('\n');
  const file = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(file, config);
  const check = spawn('haproxy', ['-c', '-f', file], { stdio: 'pipe' });
  const valid = await new Promise<number | null>((r) => check.on('exit', r));
  if (valid !== 0) throw new Error(`haproxy refused its configuration:\n${config}`);
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => { stderr += String(d); });
  const deadline = Date.now() + 10_000;
  while (!(await acceptsConnections(port))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`haproxy did not listen on ${port}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
