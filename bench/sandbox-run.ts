/**
 * The sandbox's speed, the baseline design beside the new ones, in one run (ratios within it):
 *
 *   baseline: SANDBOX_ENGINE=docker, a Docker container per run under Debian's runsc (ptrace);
 *   runsc:    SANDBOX_ENGINE=runsc, `runsc run` straight from the service, no Docker;
 *   systrap:  the same with a current runsc on the systrap platform (when scripts/build-runsc.sh built one);
 *   idle:     runsc, and a pool that grows to 20 while no run comes (SANDBOX_POOL_IDLE_SIZE=20).
 *
 * For each, against the real sandbox backend (started here, sandbox only, pool of 2): warm p50
 * (each run once the pool is full again), sustained back to back with one client (runs/s, and
 * the CPU per run of the stack, the sandboxes' cgroups, Docker's shims and runsc commands, and
 * Docker's daemons, from pool full to pool full again), 20 clients at once (until the last
 * answer), and 100 distinct programs at once (every one answered, none 5xx). Then the start of
 * one sandbox taken apart, and a cold `docker run` for comparison. Every run gets a fresh
 * sandbox in every design.
 */
import { spawn } from 'child_process';
import Docker from 'dockerode';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildGo, decodeRun } from '../test/support/go-build';
import { sleep } from '../test/support/http';
import { waitForWarmPools } from './support/http';
import { StackProcess } from './support/stack-process';
import { msSince, stats, StatsTable } from './support/stats';
import { processCpuMs } from './support/proc';
import { cgroupCpuMs, dockerDaemonsCpuMs, ShimWatch } from './support/sandbox-cpu';
import { dockerPhases, Phases, runscPhases } from './support/start-phases';
import { RunscEngine } from '../src/sandbox/runsc-engine';
import { SandboxLimits } from '../src/sandbox/container-spec';

const WARM_RUNS = 30;
const SUSTAINED_RUNS = 40;
const BURST = 20;
const BURSTS = 2;
const DISTINCT = 100;
const PHASE_RUNS = 6;
const COLD_RUNS = 8;
const POOL_SIZE = 2; // what startStack configures
const IDLE_POOL = 20;
const IMAGE = process.env.SANDBOX_IMAGE ?? 'playground-sandbox:latest';
const ROOT = path.resolve(__dirname, '..');
const SYSTRAP_RUNSC = path.join(ROOT, 'var', 'bin', 'runsc');
const GOAL_WARM_P50_MS = 45;
const GOAL_SPEEDUP = 2;
const GOAL_COLD_RATIO = 6;

const hello = (n?: number): string => `package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, world"${n === undefined ? '' : `, ${n}`}) }\n`;
const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');

interface Variant {
  key: string;
  label: string;
  env: Record<string, string>;
  /** Warm stock the pool holds once idle. */
  idle: number;
  /** Only the bursts differ from the variant before (the pool's idle growth). */
  burstsOnly?: boolean;
}

interface Figures {
  warm?: ReturnType<typeof stats>;
  sustainedRunsPerS?: number;
  sustained?: ReturnType<typeof stats>;
  cpu?: { stack: number; cgroup: number; commands: number | null; daemons: number };
  bursts: number[];
  distinct: { ms: number; ok: number; status: Record<number, number> };
}

function variants(): Variant[] {
  const runsc = { SANDBOX_ENGINE: 'runsc' };
  const list: Variant[] = [
    { key: 'baseline', label: 'baseline: Docker + runsc (ptrace)', env: { SANDBOX_ENGINE: 'docker' }, idle: POOL_SIZE },
    { key: 'runsc', label: 'runsc run, no Docker (ptrace)', env: runsc, idle: POOL_SIZE },
  ];
  if (fs.existsSync(SYSTRAP_RUNSC)) {
    list.push({ key: 'systrap', label: 'runsc run, no Docker (current runsc, systrap)', env: { ...runsc, SANDBOX_RUNSC_BINARY: SYSTRAP_RUNSC, SANDBOX_RUNSC_PLATFORM: 'systrap' }, idle: POOL_SIZE });
  }
  list.push({ key: 'idle', label: `runsc run + pool grows to ${IDLE_POOL} while idle`, env: { ...runsc, SANDBOX_POOL_IDLE_SIZE: String(IDLE_POOL) }, idle: IDLE_POOL, burstsOnly: true });
  return list;
}

function waitForPool(sandbox: StackProcess, size: number): Promise<void> {
  return waitForWarmPools([sandbox.sandboxOpsUrl], size);
}

/** One POST /run; returns the status and the time to the answer (a 200 must be hello's). */
async function postRun(sandbox: StackProcess, binary: Buffer): Promise<{ status: number; ms: number; text: string }> {
  const began = process.hrtime.bigint();
  const res = await fetch(`${sandbox.sandboxUrl}/run`, { method: 'POST', body: binary, headers: { 'Content-Type': 'application/octet-stream', ...sandbox.sandboxAuth } });
  const text = await res.text();
  const ms = msSince(began);
  if (res.ok) {
    const r = decodeRun(JSON.parse(text));
    if (r.exitCode !== 0 || !r.stdout.includes('hello, world')) throw new Error(`run answered wrongly: ${text.slice(0, 200)}`);
  }
  return { status: res.status, ms, text: text.slice(0, 300) };
}

async function okRun(sandbox: StackProcess, binary: Buffer): Promise<number> {
  const r = await postRun(sandbox, binary);
  if (r.status !== 200) throw new Error(`run failed with ${r.status}: ${r.text}`);
  return r.ms;
}

async function measure(v: Variant, binary: Buffer, distinct: Buffer[]): Promise<Figures> {
  const cgroupParent = `bench-sandbox-${process.pid}-${v.key}`;
  const runscRoot = `/run/bench-sandbox-${process.pid}-${v.key}`;
  const env = { ...v.env, SANDBOX_CGROUP_PARENT: cgroupParent, SANDBOX_RUNSC_ROOT: runscRoot };
  console.log(`-- ${v.label} (load average ${load()})`);
  const sandbox = await StackProcess.start('sandbox', { stopTimeoutMs: 30_000, env });
  const f: Figures = { bursts: [], distinct: { ms: 0, ok: 0, status: {} } };
  try {
    await waitForPool(sandbox, POOL_SIZE);
    for (let i = 0; i < 3; i++) {
      await okRun(sandbox, binary);
      await waitForPool(sandbox, POOL_SIZE);
    }
    if (!v.burstsOnly) {
      const warm: number[] = [];
      for (let i = 0; i < WARM_RUNS; i++) {
        await waitForPool(sandbox, POOL_SIZE);
        await sleep(100);
        warm.push(await okRun(sandbox, binary));
      }
      f.warm = stats(warm);

      await waitForPool(sandbox, POOL_SIZE);
      await sleep(500);
      const shims = new ShimWatch(cgroupParent);
      const cpu0 = processCpuMs(sandbox.pid);
      const [cg0, dd0] = [cgroupCpuMs(cgroupParent), dockerDaemonsCpuMs()];
      const began = process.hrtime.bigint();
      const each: number[] = [];
      for (let i = 0; i < SUSTAINED_RUNS; i++) each.push(await okRun(sandbox, binary));
      f.sustainedRunsPerS = SUSTAINED_RUNS / (msSince(began) / 1000);
      f.sustained = stats(each);
      await waitForPool(sandbox, POOL_SIZE); // back where it started: every replacement booted
      await sleep(1000); // and the last sandboxes removed behind their answers
      const cpu1 = processCpuMs(sandbox.pid);
      const shimMs = shims.stop();
      // The stack's reaped children are its runsc run commands, and with them the sandbox and
      // gofer processes they reaped, whose CPU the cgroup counts too: only the rest is the commands'.
      const cgroup = (cgroupCpuMs(cgroupParent) - cg0) / SUSTAINED_RUNS;
      const children = (cpu1.children - cpu0.children) / SUSTAINED_RUNS;
      f.cpu = {
        stack: (cpu1.own - cpu0.own) / SUSTAINED_RUNS,
        cgroup,
        commands: shimMs === null && children === 0 ? null : Math.max(0, children - cgroup) + (shimMs ?? 0) / SUSTAINED_RUNS,
        daemons: (dockerDaemonsCpuMs() - dd0) / SUSTAINED_RUNS,
      };
    }

    for (let b = 0; b < BURSTS; b++) {
      await waitForPool(sandbox, v.idle);
      await sleep(1500);
      const began = process.hrtime.bigint();
      await Promise.all(Array.from({ length: BURST }, () => okRun(sandbox, binary)));
      f.bursts.push(msSince(began));
    }

    await waitForPool(sandbox, v.idle);
    await sleep(1500);
    const began = process.hrtime.bigint();
    const answers = await Promise.all(distinct.map((d) => postRun(sandbox, d).catch(() => ({ status: 0, ms: 0, text: '' }))));
    f.distinct.ms = msSince(began);
    for (const a of answers) f.distinct.status[a.status] = (f.distinct.status[a.status] ?? 0) + 1;
    f.distinct.ok = f.distinct.status[200] ?? 0;
  } finally {
    await sandbox.stop();
    fs.rmSync(runscRoot, { recursive: true, force: true });
  }
  return f;
}

/** One `docker run --rm` of the binary, timed until docker exited. */
function coldRun(binary: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const began = process.hrtime.bigint();
    let out = '';
    const child = spawn('docker', ['run', '--rm', '-i', '--runtime=runsc', '--network=none', IMAGE], { stdio: ['pipe', 'pipe', 'ignore'] });
    child.stdout.setEncoding('utf8').on('data', (c: string) => { out += c; });
    child.on('error', reject);
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => {
      // The line after the supervisor's ready line; without a nonce it starts with a space.
      const line = out.split('\n').find((l) => l.trim().startsWith('{'));
      if (code !== 0 || !line || decodeRun(JSON.parse(line.trim())).exitCode !== 0) reject(new Error(`cold run failed: exit ${code}, ${out.slice(0, 200)}`));
      else resolve(msSince(began));
    });
    child.stdin.write(JSON.stringify({ args: [], size: binary.length }) + '\n');
    child.stdin.end(binary);
  });
}

function medianPhases(all: Phases[]): Phases {
  const out: Phases = {};
  for (const k of Object.keys(all[0])) out[k] = stats(all.map((p) => p[k])).p50;
  return out;
}

async function startPhases(binary: Buffer): Promise<void> {
  const limits: SandboxLimits = { memoryMb: 100, pidsLimit: 128, processLimit: 48, tmpfsMb: 64, runTimeoutMs: 5000, outputLimitBytes: 1 << 20, maxBinaryBytes: 100 << 20 };
  const docker = new Docker();
  const phasesRoot = `/run/bench-phases-${process.pid}`;
  const engine = new RunscEngine({ binary: '/usr/bin/runsc', platform: 'ptrace', root: phasesRoot, rootfs: path.join(ROOT, 'var', 'sandbox-rootfs'), cgroupParent: `bench-phases-${process.pid}`, limits });
  const d: Phases[] = [];
  const r: Phases[] = [];
  for (let i = 0; i < PHASE_RUNS; i++) {
    d.push(await dockerPhases(docker, IMAGE, 'runsc', limits, binary, `bench_phase_${process.pid}_${i}`));
    r.push(await runscPhases(engine, binary, `bench_phase_${process.pid}_${i}`));
  }
  fs.rmSync(phasesRoot, { recursive: true, force: true });
  console.log('');
  console.log(`one sandbox taken apart (p50 of ${PHASE_RUNS}, alternating; Debian runsc, ptrace), milliseconds:`);
  for (const [label, p] of [['Docker', medianPhases(d.slice(1))], ['runsc run', medianPhases(r.slice(1))]] as const) {
    const total = Object.values(p).reduce((a, b) => a + b, 0);
    console.log(`  ${label.padEnd(10)} ${Object.entries(p).map(([k, ms]) => `${k} ${ms.toFixed(1)}`).join(' | ')} | sum ${total.toFixed(1)}`);
  }
}

export async function sandboxRunBenchmark(): Promise<void> {
  console.log(`load average at start: ${load()} (${os.cpus().length} CPUs); other work on the machine skews these figures`);
  console.log(`building the hello binary and ${DISTINCT} distinct ones (go build, linux/amd64, faketime)…`);
  const binary = await buildGo(hello());
  const distinct: Buffer[] = [];
  for (let i = 0; i < DISTINCT; i += 2) distinct.push(...(await Promise.all([buildGo(hello(i)), buildGo(hello(i + 1))])));
  console.log(`binary: ${(binary.length / 1024 / 1024).toFixed(2)} MiB`);

  const results: Array<[Variant, Figures]> = [];
  for (const v of variants()) results.push([v, await measure(v, binary, distinct)]);

  console.log(`load average after the designs: ${load()}`);

  const table = new StatsTable({ name: 48, n: 4, width: 8, digits: 1, columns: ['p50', 'p95', 'mean', 'min', 'max'] });
  console.log('');
  console.log(table.header('POST /run, milliseconds'));
  for (const [v, f] of results) {
    if (f.warm) console.log(table.row(`${v.key}: warm (pool full)`, f.warm));
    if (f.sustained) console.log(table.row(`${v.key}: back to back`, f.sustained));
  }
  console.log('');
  console.log(`${'design'.padEnd(48)}${'runs/s'.padStart(8)}${`${BURST} at once`.padStart(12)}${`${DISTINCT} distinct`.padStart(16)}   CPU ms per run: stack, sandboxes (cgroups: sentry, gofer, program), runsc commands and shims, dockerd+containerd = total`);
  for (const [v, f] of results) {
    const c = f.cpu;
    const cpu = c ? `${c.stack.toFixed(0)}, ${c.cgroup.toFixed(0)}, ${c.commands === null ? 'n/a' : c.commands.toFixed(0)}, ${c.daemons.toFixed(0)} = ${(c.stack + c.cgroup + (c.commands ?? 0) + c.daemons).toFixed(0)}` : '(as above)';
    const d = f.distinct;
    const other = Object.entries(d.status).filter(([s]) => s !== '200').map(([s, n]) => `${n}x${s}`).join(' ');
    console.log(`${v.key.padEnd(48)}${(f.sustainedRunsPerS?.toFixed(2) ?? '-').padStart(8)}${`${f.bursts.map((b) => (b / 1000).toFixed(2)).join('/')} s`.padStart(12)}${`${(d.ms / 1000).toFixed(2)} s ${d.ok}/${DISTINCT}${other ? ` ${other}` : ''}`.padStart(16)}   ${cpu}`);
  }

  const base = results[0][1];
  const best = (key: string): Figures | undefined => results.find(([v]) => v.key === key)?.[1];
  const runsc = best('runsc')!;
  const idle = best('idle')!;
  const minBurst = (f: Figures): number => Math.min(...f.bursts);
  const throughput = runsc.sustainedRunsPerS! / base.sustainedRunsPerS!;
  const burst = minBurst(base) / minBurst(runsc);
  const burstIdle = minBurst(base) / minBurst(idle);
  console.log('');
  console.log(`goal sustained back to back >= ${GOAL_SPEEDUP}x baseline: ${throughput >= GOAL_SPEEDUP ? 'met' : 'MISSED'} (${throughput.toFixed(2)}x, runsc run)`);
  console.log(`goal ${BURST} at once >= ${GOAL_SPEEDUP}x faster: runsc run ${burst.toFixed(2)}x, with the idle pool ${burstIdle.toFixed(2)}x: ${Math.max(burst, burstIdle) >= GOAL_SPEEDUP ? 'met' : 'MISSED'}`);
  console.log(`goal warm p50 <= ${GOAL_WARM_P50_MS} ms: ${runsc.warm!.p50 <= GOAL_WARM_P50_MS ? 'met' : 'MISSED'} (runsc run ${runsc.warm!.p50.toFixed(1)} ms, baseline ${base.warm!.p50.toFixed(1)} ms)`);
  const allAnswered = results.every(([, f]) => f.distinct.ok === DISTINCT);
  console.log(`goal ${DISTINCT} distinct programs at once, all answered, none 5xx: ${allAnswered ? 'met' : 'MISSED'}`);

  await startPhases(binary);

  await coldRun(binary); // one unmeasured, so that the image and runsc are in the page cache
  const cold: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) cold.push(await coldRun(binary));
  console.log(`load average at end: ${load()}`);
  console.log(table.row('cold docker run --rm (until docker exited)', stats(cold)));
  const coldRatio = stats(cold).p50 / runsc.warm!.p50;
  console.log(`goal cold docker run p50 / warm p50 >= ${GOAL_COLD_RATIO}: ${coldRatio >= GOAL_COLD_RATIO ? 'met' : 'MISSED'} (${coldRatio.toFixed(1)}x)`);
}
