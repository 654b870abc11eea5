import { ChildProcess, spawn, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { allSettingSpecs } from './all-settings';
import { varDir } from '../platform/paths';
import { DOCKER_GROUP, FRONTEND_USER, lookupGroup, lookupUser, SANDBOX_USER } from '../platform/service-users';

/**
 * `npm start`: the sandbox backend and the frontend as two processes, as in production where
 * they run on different machines (and are supervised by systemd there: see the README). A
 * process that dies after it served is started again with backoff while the other keeps
 * serving; one that dies before it ever served (a bad setting, a port in use) stops the
 * launch, since restarting it would only repeat the failure. SIGINT and SIGTERM stop both.
 *
 * Started as root, neither runs as root: the frontend runs as the set-up's user `playground`
 * (it writes only var/data/ and makes its builds' sandboxes), the sandbox service as
 * `playground-sandbox` with Docker's group, the one power it needs. With SANDBOX_ENGINE=runsc
 * the sandbox service starts runsc itself, which needs root (what Docker's group amounts to).
 */
// One secret per launch for the hop between the two, unless the operator set one.
const env = { ...process.env, SANDBOX_TOKEN: process.env.SANDBOX_TOKEN || randomBytes(32).toString('hex') };
/**
 * The sandbox service gets no secret but the hop's: the frontend's (admin tokens, database and
 * module proxy credentials) have no business on the host that runs strangers' programs.
 */
const sandboxEnv = Object.fromEntries(Object.entries(env).filter(([name]) => !(allSettingSpecs()[name]?.secret && name !== 'SANDBOX_TOKEN')));

const sandboxNeedsRoot = (): boolean => process.env.SANDBOX_ENGINE === 'runsc';
const entries = [
  { name: 'sandbox', file: path.join(__dirname, '..', 'sandbox', 'main.js'), env: sandboxEnv, user: () => (sandboxNeedsRoot() ? undefined : runAs(SANDBOX_USER, lookupGroup(DOCKER_GROUP))) },
  { name: 'frontend', file: path.join(__dirname, '..', 'frontend', 'main.js'), env, user: () => runAs(FRONTEND_USER) },
];
type Entry = (typeof entries)[number];

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** A process that served this long before it died starts again after the first backoff. */
const STABLE_MS = 60_000;

/** The unprivileged user a process runs as when we are root; nothing changes otherwise. */
function runAs(name: string, gid?: number): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const user = lookupUser(name);
  if (!user) {
    console.error(`[launch] user ${name} does not exist: run the set-up as root (bash scripts/setup.sh), which creates it`);
    process.exit(1);
  }
  return { uid: user.uid, gid: gid ?? user.gid };
}

/**
 * Under cgroup v2 the frontend must sit inside the cgroup delegated for its builds, so that it
 * may move a build's first process into a child it created (scripts/service-users.sh).
 */
function joinBuildCgroup(pid: number): void {
  const procs = '/sys/fs/cgroup/playground-builds/service/cgroup.procs';
  if (process.getuid?.() === 0 && fs.existsSync(procs)) fs.writeFileSync(procs, `${pid}\n`);
}

/**
 * The frontend's writable state (database, module proxy cache) belongs to its user. A root
 * process run in the same tree (a test, a one-off `node dist/main.js`) may have left files
 * there that the unprivileged frontend could not open; they are handed back before it starts.
 * The frontend's user controls that tree, so root must not follow a link it planted, not even
 * one swapped in mid-walk: coreutils' chown walks it physically, relative to the directories it
 * holds open, and changes links themselves rather than their targets.
 */
function handOverState(uid: number, gid: number): void {
  const dir = path.join(varDir(), 'data');
  if (!fs.existsSync(dir)) return;
  const r = spawnSync('chown', ['-R', '-P', '--no-dereference', `${uid}:${gid}`, dir], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) console.error(`[launch] could not hand ${dir} to uid ${uid}: ${r.stderr || r.error?.message}`);
}

const children = new Map<string, ChildProcess>();
let stopping = false;

function start(e: Entry, backoffMs: number, servedBefore: boolean): void {
  const began = Date.now();
  let served = servedBefore;
  // The IPC channel carries one message: the process listens (see process.send in its main).
  const user = e.user();
  if (e.name === 'frontend' && user) handOverState(user.uid, user.gid);
  const child = spawn(process.execPath, [e.file], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env: e.env, ...user });
  children.set(e.name, child);
  if (e.name === 'frontend' && child.pid) joinBuildCgroup(child.pid);
  console.log(`[launch] ${e.name} started (pid ${child.pid}${user ? `, uid ${user.uid}` : ''})`);
  child.on('message', () => { served = true; });
  child.on('exit', (code, signal) => {
    children.delete(e.name);
    if (stopping) return;
    if (!served) {
      console.error(`[launch] ${e.name} exited (${signal ?? code}) before it served; stopping`);
      return stopAll(1);
    }
    const stable = Date.now() - began >= STABLE_MS;
    const wait = stable ? FIRST_BACKOFF_MS : backoffMs;
    console.error(`[launch] ${e.name} exited (${signal ?? code}); starting it again in ${wait} ms`);
    setTimeout(() => { if (!stopping) start(e, Math.min(wait * 2, MAX_BACKOFF_MS), true); }, wait);
  });
}

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const c of children.values()) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 10_000).unref();
  Promise.all([...children.values()].map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.on('exit', r))))).then(() => process.exit(code));
}

for (const e of entries) start(e, FIRST_BACKOFF_MS, false);
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
