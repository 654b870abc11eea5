import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as path from 'path';

/**
 * `npm start`: the sandbox backend and the frontend as two processes, as in production where
 * they run on different machines (and are supervised by systemd there: see the README). A
 * process that dies after it served is started again with backoff while the other keeps
 * serving; one that dies before it ever served (a bad setting, a port in use) stops the
 * launch, since restarting it would only repeat the failure. SIGINT and SIGTERM stop both.
 */
const entries = [
  { name: 'sandbox', file: path.join(__dirname, 'sandbox', 'main.js') },
  { name: 'frontend', file: path.join(__dirname, 'main.js') },
];
type Entry = (typeof entries)[number];

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** A process that served this long before it died starts again after the first backoff. */
const STABLE_MS = 60_000;

// One secret per launch for the hop between the two, unless the operator set one.
const env = { ...process.env, SANDBOX_TOKEN: process.env.SANDBOX_TOKEN || randomBytes(32).toString('hex') };

const children = new Map<string, ChildProcess>();
let stopping = false;

function start(e: Entry, backoffMs: number, servedBefore: boolean): void {
  const began = Date.now();
  let served = servedBefore;
  // The IPC channel carries one message: the process listens (see process.send in its main).
  const child = spawn(process.execPath, [e.file], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env });
  children.set(e.name, child);
  console.log(`[launch] ${e.name} started (pid ${child.pid})`);
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
