/**
 * `npm start`'s launcher (src/launcher/launch.ts), built privately from the current source and run as
 * `npm start` runs it: the sandbox backend killed with SIGKILL is started again with backoff
 * while the frontend keeps serving, and programs run again through the same per-launch secret;
 * a process that dies before it ever served stops the launch; SIGTERM stops both and leaves no
 * container behind. Real stack (Go toolchain, Docker + runsc, SQLite); loopback only.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { varDir } from '../../src/platform/paths';
import { DOCKER_GROUP, FRONTEND_USER, lookupGroup, lookupUser, SANDBOX_USER } from '../../src/platform/service-users';
import {
  buildPrivateDist, compileAt, containers, freshHello, outputOf, processStackEnv, ProcessStackEnv, Proc, requestFrom as request, spawnNode,
  stopProc, waitFor,
} from './support';

let dist: string;
let env: ProcessStackEnv;
let launcher: Proc | undefined;
let url: string;

beforeAll(async () => {
  dist = await buildPrivateDist();
  env = await processStackEnv('launch');
  url = `http://127.0.0.1:${env.frontendPort}`;
  // The frontend does not run as root: its database's directory must be its user's, as the
  // set-up makes var/data/ (scripts/service-users.sh).
  const user = lookupUser(FRONTEND_USER);
  if (process.getuid?.() === 0 && user) fs.chownSync(path.dirname(env.dbPath), user.uid, user.gid);
}, 600_000);

afterAll(async () => {
  await stopProc(launcher, 30_000);
  fs.rmSync(path.dirname(env.dbPath), { recursive: true, force: true });
}, 60_000);

/** The pids the launcher reported for `name`, in order ("[launch] sandbox started (pid N)"). */
function starts(p: Proc, name: string): number[] {
  return [...p.log().matchAll(new RegExp(`\\[launch\\] ${name} started \\(pid (\\d+)[,)]`, 'g'))].map((m) => Number(m[1]));
}

/** The launcher's live child running `script` (e.g. sandbox/main.js), found in /proc, or null. */
function child(p: Proc, script: string): number | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (ppid === p.child.pid && cmd.includes(`src/${script}`)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/** Waits until a program never run before (so no cached answer) runs through the frontend. */
async function runsAProgram(): Promise<void> {
  const program = freshHello('launch');
  const expected = `hello, hardening ${/"(launch-[0-9a-f]+)"/.exec(program)![1]}`;
  let last = '';
  const ok = await waitFor(async () => {
    const r = await compileAt(url, program);
    last = `${r.status} ${r.text.slice(0, 200)}`;
    return r.status === 200 && outputOf(r) === `${expected}\n`;
  }, 120_000, 500);
  if (!ok) throw new Error(`no program ran within 120 s; last answer: ${last}\n${launcher?.log().slice(-3000)}`);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Real uid and gid of a process. */
function ids(pid: number): { uid: number; gid: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return { uid: Number(/^Uid:\s+(\d+)/m.exec(status)![1]), gid: Number(/^Gid:\s+(\d+)/m.exec(status)![1]) };
}

describe('the launcher (npm start)', () => {
  it('runs neither process as root: the frontend as its own user, the sandbox with Docker\'s group only', async () => {
    if (process.getuid?.() !== 0) return; // started unprivileged, it has nobody to become
    // State a root process left in the frontend's directory (as an in-process test run does):
    // the frontend, started as its own user, must still be able to open it.
    const cache = path.join(varDir(), 'data', 'module-proxy-cache');
    fs.mkdirSync(cache, { recursive: true, mode: 0o700 });
    fs.chownSync(cache, 0, 0);
    fs.chmodSync(cache, 0o700);
    // A link the frontend's user could plant there: handing the state over must not follow it.
    const outside = path.join(path.dirname(env.dbPath), 'root-only');
    fs.writeFileSync(outside, 'root\n');
    const link = path.join(varDir(), 'data', 'planted-link');
    fs.rmSync(link, { force: true });
    fs.symlinkSync(outside, link);
    launcher = spawnNode(path.join(dist, 'src', 'launcher', 'launch.js'), { ...env.env, SANDBOX_TOKEN: '' });
    await runsAProgram();
    expect(ids(child(launcher, 'frontend/main.js')!)).toEqual(lookupUser(FRONTEND_USER));
    expect(fs.statSync(outside).uid).toBe(0);
    expect(fs.lstatSync(cache).uid).toBe(lookupUser(FRONTEND_USER)!.uid);
    fs.rmSync(link, { force: true });
    expect(ids(child(launcher, 'sandbox/main.js')!)).toEqual({ uid: lookupUser(SANDBOX_USER)!.uid, gid: lookupGroup(DOCKER_GROUP) });
    // The frontend's secrets stay with the frontend; the sandbox has only the hop's.
    const environ = (pid: number): string[] => fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').map((v) => v.split('=')[0]);
    expect(environ(child(launcher, 'frontend/main.js')!)).toContain('ADMIN_TOKENS');
    expect(environ(child(launcher, 'sandbox/main.js')!)).not.toContain('ADMIN_TOKENS');
    expect(environ(child(launcher, 'sandbox/main.js')!)).toContain('SANDBOX_TOKEN');
    launcher.child.kill('SIGTERM');
    expect(await launcher.exited).toBe(0);
    launcher = undefined;
  }, 600_000);

  it('starts a sandbox killed with SIGKILL again, with backoff, while the frontend keeps serving', async () => {
    // No SANDBOX_TOKEN: the launcher makes one for this launch and gives it to both.
    launcher = spawnNode(path.join(dist, 'src', 'launcher', 'launch.js'), { ...env.env, SANDBOX_TOKEN: '' });
    await runsAProgram();
    const frontend = child(launcher, 'frontend/main.js')!;
    const first = child(launcher, 'sandbox/main.js')!;
    expect([starts(launcher, 'frontend'), starts(launcher, 'sandbox')]).toEqual([[frontend], [first]]);
    // The generated secret is in force: the sandbox refuses a request without it.
    expect((await request(`http://127.0.0.1:${env.sandboxPort}/status`)).status).toBe(401);

    process.kill(first, 'SIGKILL');
    expect(await waitFor(async () => (child(launcher!, 'sandbox/main.js') ?? first) !== first, 30_000)).toBe(true);
    // The frontend was never stopped or restarted, and answers.
    expect(child(launcher, 'frontend/main.js')).toBe(frontend);
    expect((await request(`${url}/version`)).status).toBe(200);
    expect(launcher.log()).toContain('[launch] sandbox exited (SIGKILL); starting it again in 500 ms');
    await runsAProgram();

    // A second crash soon after waits twice as long.
    const second = child(launcher, 'sandbox/main.js')!;
    process.kill(second, 'SIGKILL');
    expect(await waitFor(async () => (child(launcher!, 'sandbox/main.js') ?? second) !== second, 30_000)).toBe(true);
    expect(launcher.log()).toContain('[launch] sandbox exited (SIGKILL); starting it again in 1000 ms');
    await runsAProgram();
    expect(launcher.child.exitCode).toBeNull();
    expect(child(launcher, 'frontend/main.js')).toBe(frontend);
    expect(starts(launcher, 'sandbox')).toHaveLength(3);
  }, 600_000);

  it('stops both on SIGTERM, leaving no container behind', async () => {
    const pids = [child(launcher!, 'sandbox/main.js')!, child(launcher!, 'frontend/main.js')!];
    expect(pids.filter(alive)).toHaveLength(2);
    launcher!.child.kill('SIGTERM');
    expect(await launcher!.exited).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
    expect(await containers(env.prefix)).toEqual([]);
  }, 60_000);

  it('stops the launch (exit 1) when a process dies before it ever served, e.g. its port is taken', async () => {
    const taken = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => taken.once('listening', r));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const p = spawnNode(path.join(dist, 'src', 'launcher', 'launch.js'), { ...env.env, FRONTEND_PORT: String(port) });
      expect(await p.exited).toBe(1);
      expect(p.log()).toMatch(/\[launch\] frontend exited \(1\) before it served; stopping/);
      expect(starts(p, 'frontend')).toHaveLength(1);
      expect(starts(p, 'sandbox').filter(alive)).toEqual([]);
    } finally {
      taken.close();
    }
  }, 120_000);
});
