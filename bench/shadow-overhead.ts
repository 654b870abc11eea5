/**
 * What dual runs cost the public answers: /compile latency with shadows at 0 % and at 100 %.
 *
 * The whole stack (sandbox + frontend, fresh SQLite) runs in a child process; this process is
 * the client. Every request is a distinct hello program (a cache miss), sent without the
 * backend header, with the rollout at 100 % so that linux-amd64 is the primary and, at 100 %
 * shadow, the legacy emulation the shadow. Requests are sequential (the next is sent as soon as
 * the previous answer arrived), in alternating blocks of each setting to spread drift (load from
 * other work, caches warming) over both. After a 100 % block the shadow queue is drained before
 * the next block, so a 0 % block never pays for the shadows of the block before it.
 *
 *   npm run bench -- shadow-overhead
 *   SHADOW_BENCH_PER_SETTING=40 SHADOW_BENCH_BLOCK=5 SHADOW_BENCH_GAP_MS=0 (defaults)
 *
 * SHADOW_BENCH_HIGH=0 runs both arms at 0 % (an A/A run): the ratio it prints is the noise floor.
 * SHADOW_BENCH_GAP_MS inserts a pause between requests (after waiting for the shadow queue to
 * drain and the sandbox's pools to refill), which shows how much of the overhead is shadow work
 * competing for the CPU with the next request rather than the answer waiting for its shadow.
 *
 * Besides the p50s it prints, per measured request, the sandbox's own gVisor run time (from its
 * /metrics), and the CPU used by the stack's process, by its go builds, and by Docker's daemons.
 */
import { ChildProcess, execSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const PER_SETTING = Number(process.env.SHADOW_BENCH_PER_SETTING ?? 40);
const BLOCK = Number(process.env.SHADOW_BENCH_BLOCK ?? 5);
const GAP_MS = Number(process.env.SHADOW_BENCH_GAP_MS ?? 0);
/** The shadow percentage of the second arm; 0 makes an A/A run that shows the noise floor. */
const HIGH = Number(process.env.SHADOW_BENCH_HIGH ?? 100);
const WARMUP = 3;
const GOAL_RATIO = 1.05;
const MODERN = 'linux-amd64';
const LEGACY = 'nacl-emulated';

const CLK_TCK = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const msSince = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e6;

interface Ports {
  frontendUrl: string;
  sandboxUrl: string;
  token: string;
}

/**
 * The stack in a child process: tsx (esbuild) emits no decorator metadata, which Nest's
 * dependency injection needs, so the child transpiles TypeScript with tsc's transpiler.
 */
const CHILD = `
const ts = require('typescript');
const fs = require('fs');
require.extensions['.ts'] = (m, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true,
      experimentalDecorators: true, emitDecoratorMetadata: true,
    },
  });
  m._compile(out.outputText, filename);
};
require('reflect-metadata');
const { startStack } = require(${JSON.stringify(path.join(ROOT, 'test/support/stack.ts'))});
startStack().then((stack) => {
  process.send({ frontendUrl: stack.frontendUrl, sandboxUrl: stack.sandboxUrl, token: stack.tokens.releaseManager });
  const stop = async () => { await stack.stop(); process.exit(0); };
  process.on('message', (m) => { if (m === 'stop') void stop(); });
  process.on('disconnect', () => void stop());
}, (e) => { console.error(e); process.exit(1); });
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

class StackProcess {
  private constructor(private readonly child: ChildProcess, readonly ports: Ports) {}

  get pid(): number {
    return this.child.pid ?? 0;
  }

  static async start(): Promise<StackProcess> {
    // The settings are read once, when the first module loads: the sandbox's port is chosen
    // here so that the frontend knows it from the start.
    const port = await freePort();
    const child = spawn(process.execPath, ['-e', CHILD], {
      cwd: ROOT,
      env: {
        ...process.env,
        SANDBOX_PORT: String(port),
        SANDBOX_URL: `http://127.0.0.1:${port}`,
        RATE_LIMIT_PER_MINUTE: '0',
        LEGACY_BACKEND: LEGACY,
        // The service logs every flag change and pool event; only warnings matter here.
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('message', (m: Ports) => resolve(new StackProcess(child, m)));
      child.once('exit', (code) => reject(new Error(`the stack exited (${code}) before it was ready`)));
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send('stop');
    await Promise.race([exited, sleep(30_000)]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

class Client {
  constructor(private readonly p: Ports) {}

  async admin<T = any>(method: string, route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.p.frontendUrl}/admin/api${route}`, {
      method,
      headers: { Authorization: `Bearer ${this.p.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /** One public /compile (no backend header), timed at the client until the last byte. */
  async compile(source: string): Promise<{ ms: number; backend: string }> {
    const began = process.hrtime.bigint();
    const res = await fetch(`${this.p.frontendUrl}/compile`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ version: '2', body: source, withVet: 'false' }).toString(),
    });
    const text = await res.text();
    const ms = msSince(began);
    const backend = res.headers.get('x-playground-backend') ?? '';
    const r = JSON.parse(text) as { Errors: string; Events: Array<{ Message: string }> | null };
    if (!res.ok || r.Errors || !(r.Events ?? []).some((e) => e.Message.startsWith('hello'))) {
      throw new Error(`/compile failed: ${res.status} ${text.slice(0, 300)}`);
    }
    return { ms, backend };
  }

  async shadowState(): Promise<{ queued: number; accepted: number; dropped: number; stored: number }> {
    const st = await this.admin<{ shadow: { queued: number; accepted: number; dropped: number } }>('GET', '/state');
    const runs = await this.admin<{ total: number }>('GET', '/dual-runs?pageSize=1');
    return { ...st.shadow, stored: runs.total };
  }

  /** Until the sandbox's pools are back to their configured sizes (startStack: 2 gVisor, 1 emulation). */
  async fullPools(timeoutMs = 60_000): Promise<void> {
    const want: Record<string, number> = { gvisor: Number(process.env.SANDBOX_POOL_SIZE ?? 2), 'emulated-386': 1 };
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const st = (await (await fetch(`${this.p.sandboxUrl}/status`)).json()) as { runners: Array<{ id: string; poolReady: number }> };
      if (st.runners.every((r) => want[r.id] === undefined || r.poolReady >= want[r.id])) return;
      if (Date.now() > deadline) throw new Error(`pools did not refill: ${JSON.stringify(st.runners)}`);
      await sleep(50);
    }
  }

  /** The sandbox's own count and total time of gVisor runs (binary received to answer). */
  async gvisorRuns(): Promise<{ count: number; seconds: number }> {
    const text = await (await fetch(`${this.p.sandboxUrl}/metrics`)).text();
    const num = (name: string): number => Number(new RegExp(`^${name}\\{pool="gvisor"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    return { count: num('sandbox_run_seconds_count'), seconds: num('sandbox_run_seconds_sum') };
  }

  /** Median primary and shadow times the service itself recorded for the dual runs. */
  async dualRunTimes(): Promise<{ n: number; primaryMs: number; shadowMs: number }> {
    const runs = await this.admin<{ items: Array<{ primaryMs: number; shadowMs: number }> }>('GET', '/dual-runs?pageSize=500');
    return { n: runs.items.length, primaryMs: p50(runs.items.map((r) => r.primaryMs)), shadowMs: p50(runs.items.map((r) => r.shadowMs)) };
  }

  /** Until every accepted shadow has been run, compared and stored (or the wait gives up). */
  async drainShadows(timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.shadowState();
      if (s.queued === 0 && s.stored >= s.accepted) return;
      if (Date.now() > deadline) throw new Error(`shadow queue did not drain: ${JSON.stringify(s)}`);
      await sleep(100);
    }
  }
}

/**
 * CPU seconds of the stack's process (frontend and sandbox run in it) and of its reaped children
 * (every go build, primary and shadow). Docker's daemons, runc and runsc are not in it.
 */
function processTreeCpuMs(pid: number): { own: number; children: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which is in parentheses and may contain spaces).
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ms = (ticks: number): number => (ticks / CLK_TCK) * 1000;
  return { own: ms(Number(f[11]) + Number(f[12])), children: ms(Number(f[13]) + Number(f[14])) }; // utime+stime, cutime+cstime
}

/**
 * CPU of Docker's long-lived daemons (dockerd, containerd): container starts and removals for
 * both pools go through them. Machine-wide: other Docker users on this host count too, and
 * short-lived shims, runc and runsc are not included.
 */
function dockerDaemonsCpuMs(): number {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (comm !== 'dockerd' && comm !== 'containerd') continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // The process went away while we looked.
    }
  }
  return (ticks / CLK_TCK) * 1000;
}

/** Where one arm's time and CPU went, accumulated over its blocks. */
class Account {
  /** The Node process itself: frontend, sandbox, shadow queue, SQLite (not niced). */
  ownCpuMs = 0;
  /** Its reaped children: the go builds (shadow builds niced to 19). */
  childCpuMs = 0;
  dockerCpuMs = 0;
  runSeconds = 0;
  runs = 0;
}

let serial = 0;
/** A hello program no earlier request sent: every /compile is a build and a run. */
function freshHello(): string {
  serial++;
  return `package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hello, shadow bench", ${serial}, ${process.pid})\n}\n`;
}

function p50(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(s.length / 2) - 1)];
}

function summary(name: string, samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const pct = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const f = (v: number): string => v.toFixed(1).padStart(8);
  return `${name.padEnd(20)}${String(s.length).padStart(4)}${f(pct(50))}${f(pct(90))}${f(mean)}${f(s[0])}${f(s[s.length - 1])}`;
}

export async function shadowOverheadBenchmark(): Promise<void> {
  const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`load average at start: ${load()} (${os.cpus().length} CPUs); other work on the machine skews these figures`);
  console.log(`${PER_SETTING} requests per setting (0 % and ${HIGH} %), blocks of ${BLOCK}, gap between requests ${GAP_MS} ms`);
  console.log('starting the stack (sandbox + frontend, fresh database)…');
  const stack = await StackProcess.start();
  const client = new Client(stack.ports);
  const samples: Record<'0' | '100', number[]> = { '0': [], '100': [] };
  const account: Record<'0' | '100', Account> = { '0': new Account(), '100': new Account() };
  try {
    await client.admin('PATCH', '/flags', { rolloutPercent: 100, shadowPercent: 0, reason: 'shadow-overhead benchmark: linux-amd64 primary' });
    // The frontend learns availability by polling the sandbox: wait until both sides can run.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const st = await client.admin<{ backends: Array<{ id: string; available: boolean }> }>('GET', '/state');
      if ([MODERN, LEGACY].every((id) => st.backends.find((b) => b.id === id)?.available)) break;
      if (Date.now() > deadline) throw new Error(`backends not available: ${JSON.stringify(st.backends)}`);
      await sleep(250);
    }
    const baseline = await client.shadowState();

    const setShadow = (percent: number) => client.admin('PATCH', '/flags', { shadowPercent: percent, reason: `shadow-overhead benchmark: shadow ${percent} %` });
    const run = async (count: number, into?: number[]): Promise<void> => {
      for (let i = 0; i < count; i++) {
        const r = await client.compile(freshHello());
        if (r.backend !== MODERN) throw new Error(`served by ${r.backend}, not ${MODERN}`);
        into?.push(r.ms);
        if (GAP_MS > 0) {
          await client.drainShadows();
          await client.fullPools();
          await sleep(GAP_MS);
        }
      }
    };

    console.log('warm-up (unmeasured): both settings, including a first linux/386 build…');
    await setShadow(HIGH);
    await run(WARMUP);
    await client.drainShadows();
    await setShadow(0);
    await run(WARMUP);
    const afterWarmup = await client.shadowState();

    const blocks = Math.ceil(PER_SETTING / BLOCK);
    for (let b = 0; b < blocks; b++) {
      // ABBA order: each setting goes first in every other pair of blocks.
      const order: Array<'0' | '100'> = b % 2 === 0 ? ['0', '100'] : ['100', '0'];
      for (const setting of order) {
        await setShadow(setting === '100' ? HIGH : 0);
        const n = Math.min(BLOCK, PER_SETTING - samples[setting].length);
        const cpuBefore = processTreeCpuMs(stack.pid);
        const dockerBefore = dockerDaemonsCpuMs();
        const runsBefore = await client.gvisorRuns();
        await run(n, samples[setting]);
        // The block's shadows are its cost: they are drained (and counted) before the next block.
        if (setting === '100') await client.drainShadows();
        const runsAfter = await client.gvisorRuns();
        const a = account[setting];
        const cpuAfter = processTreeCpuMs(stack.pid);
        a.ownCpuMs += cpuAfter.own - cpuBefore.own;
        a.childCpuMs += cpuAfter.children - cpuBefore.children;
        a.dockerCpuMs += dockerDaemonsCpuMs() - dockerBefore;
        a.runSeconds += runsAfter.seconds - runsBefore.seconds;
        a.runs += runsAfter.count - runsBefore.count;
      }
      process.stdout.write(`  block ${b + 1}/${blocks} done (load ${load()})\n`);
    }
    await client.drainShadows();
    const end = await client.shadowState();
    const byClass = await client.admin<{ byClass: Record<string, number> }>('GET', '/release-day/readiness');

    console.log(`load average at end: ${load()}`);
    console.log('');
    console.log(`${'milliseconds'.padEnd(20)}${'n'.padStart(4)}${'p50'.padStart(8)}${'p90'.padStart(8)}${'mean'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}`);
    console.log(summary('shadow 0 %', samples['0']));
    console.log(summary(`shadow ${HIGH} %`, samples['100']));
    const ratio = p50(samples['100']) / p50(samples['0']);
    console.log('');
    console.log(`p50 shadow 0 %: ${p50(samples['0']).toFixed(1)} ms, p50 shadow ${HIGH} %: ${p50(samples['100']).toFixed(1)} ms`);
    console.log(`ratio p50(${HIGH} %) / p50(0 %): ${ratio.toFixed(3)} — goal <= ${GOAL_RATIO}: ${ratio <= GOAL_RATIO ? 'met' : 'MISSED'}`);
    console.log('');
    console.log('per measured request, mean:   /compile   gVisor run   rest (build, frontend)   CPU: stack process   its go builds   dockerd+containerd');
    for (const setting of ['0', '100'] as const) {
      const a = account[setting];
      const n = samples[setting].length;
      const total = samples[setting].reduce((x, y) => x + y, 0) / n;
      const run = a.runs ? (a.runSeconds * 1000) / a.runs : NaN;
      console.log(`  shadow ${String(setting === '100' ? HIGH : 0).padStart(3)} %${' '.repeat(17)}${total.toFixed(0).padStart(6)} ms ${run.toFixed(0).padStart(8)} ms ${(total - run).toFixed(0).padStart(14)} ms ${' '.repeat(10)}${(a.ownCpuMs / n).toFixed(0).padStart(6)} ms ${(a.childCpuMs / n).toFixed(0).padStart(10)} ms ${(a.dockerCpuMs / n).toFixed(0).padStart(14)} ms`);
    }
    const times = await client.dualRunTimes();
    if (times.n > 0) console.log(`as recorded by the service for the ${times.n} dual runs (p50): primary ${times.primaryMs} ms, shadow ${times.shadowMs} ms`);
    console.log(`dual runs stored: ${end.stored - afterWarmup.stored} in the measured blocks, ${end.stored - baseline.stored} with the warm-up (accepted ${end.accepted - baseline.accepted}, dropped ${end.dropped - baseline.dropped}); classes: ${JSON.stringify(byClass.byClass)}`);
  } finally {
    await stack.stop();
  }
}
