import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

/**
 * `npm start`: the sandbox backend and the frontend as two processes, as in production where
 * they run on different machines. If either dies, both stop, so a supervisor sees the failure.
 */
const entries = [
  { name: 'sandbox', file: path.join(__dirname, 'sandbox', 'main.js') },
  { name: 'frontend', file: path.join(__dirname, 'main.js') },
];

const children: ChildProcess[] = [];
let stopping = false;

function stopAll(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 10_000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.on('exit', r))))).then(() => process.exit(code));
}

for (const e of entries) {
  const child = spawn(process.execPath, [e.file], { stdio: 'inherit', env: process.env });
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`${e.name} exited (${signal ?? code}); stopping`);
    stopAll(code ?? 1);
  });
  children.push(child);
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));
