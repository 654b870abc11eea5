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
import * as os from 'os';
import { sleep } from '../test/support/http';
import type { CompileResponse } from '../test/support/compile';
import { dockerDaemonsCpuMs, processCpuMs } from './support/proc';
import { compileForm, sandboxMetrics } from './support/http';
import { StackProcess } from './support/stack-process';
import { msSince, p50, stats, StatsTable } from './support/stats';

const PER_SETTING = Number(process.env.SHADOW_BENCH_PER_SETTING ?? 40);
const BLOCK = Number(process.env.SHADOW_BENCH_BLOCK ?? 5);
const GAP_MS = Number(process.env.SHADOW_BENCH_GAP_MS ?? 0);
/** The shadow percentage of the second arm; 0 makes an A/A run that shows the noise floor. */
const HIGH = Number(process.env.SHADOW_BENCH_HIGH ?? 100);
const WARMUP = 3;
const GOAL_RATIO = 1.05;
const LINUX_AMD64 = 'linux-amd64';
const LEGACY = 'nacl-emulated';

const TABLE = new StatsTable({ name: 20, n: 4, width: 8, digits: 1, columns: ['p50', 'p90', 'mean', 'min', 'max'] });

class Client {
  constructor(private readonly stack: StackProcess) {}

  async admin<T = any>(method: string, route: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.stack.frontendUrl}/admin/api${route}`, {
      method,
      headers: { Authorization: `Bearer ${this.stack.tokens.releaseManager}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /** One public /compile (no backend header), timed at the client until the last byte. */
  async compile(source: string): Promise<{ ms: number; backend: string }> {
    const began = process.hrtime.bigint();
    const res = await fetch(`${this.stack.frontendUrl}/compile`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: compileForm(source),
    });
    const text = await res.text();
    const ms = msSince(began);
    const backend = res.headers.get('x-playground-backend') ?? '';
    const r = JSON.parse(text) as CompileResponse;
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
      const st = (await (await fetch(`${this.stack.sandboxUrl}/status`, { headers: this.stack.sandboxAuth })).json()) as { runners: Array<{ id: string; poolReady: number }> };
      if (st.runners.every((r) => want[r.id] === undefined || r.poolReady >= want[r.id])) return;
      if (Date.now() > deadline) throw new Error(`pools did not refill: ${JSON.stringify(st.runners)}`);
      await sleep(50);
    }
  }

  /** The sandbox's own count and total time of gVisor runs (binary received to answer). */
  async gvisorRuns(): Promise<{ count: number; seconds: number }> {
    const metrics = await sandboxMetrics(this.stack.sandboxOpsUrl);
    return { count: metrics.gvisor('sandbox_run_seconds_count') ?? NaN, seconds: metrics.gvisor('sandbox_run_seconds_sum') ?? NaN };
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

export async function shadowOverheadBenchmark(): Promise<void> {
  const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`load average at start: ${load()} (${os.cpus().length} CPUs); other work on the machine skews these figures`);
  console.log(`${PER_SETTING} requests per setting (0 % and ${HIGH} %), blocks of ${BLOCK}, gap between requests ${GAP_MS} ms`);
  console.log('starting the stack (sandbox + frontend, fresh database)…');
  const stack = await StackProcess.start('full', {
    env: {
      LEGACY_BACKEND: LEGACY,
      // The service logs every flag change and pool event; only warnings matter here.
      NO_COLOR: '1',
    },
  });
  const client = new Client(stack);
  const samples: Record<'0' | '100', number[]> = { '0': [], '100': [] };
  const account: Record<'0' | '100', Account> = { '0': new Account(), '100': new Account() };
  try {
    await client.admin('PATCH', '/flags', { rolloutPercent: 100, shadowPercent: 0, reason: 'shadow-overhead benchmark: linux-amd64 primary' });
    // The frontend learns availability by polling the sandbox: wait until both sides can run.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const st = await client.admin<{ backends: Array<{ id: string; available: boolean }> }>('GET', '/state');
      if ([LINUX_AMD64, LEGACY].every((id) => st.backends.find((b) => b.id === id)?.available)) break;
      if (Date.now() > deadline) throw new Error(`backends not available: ${JSON.stringify(st.backends)}`);
      await sleep(250);
    }
    const baseline = await client.shadowState();

    const setShadow = (percent: number) => client.admin('PATCH', '/flags', { shadowPercent: percent, reason: `shadow-overhead benchmark: shadow ${percent} %` });
    const run = async (count: number, into?: number[]): Promise<void> => {
      for (let i = 0; i < count; i++) {
        const r = await client.compile(freshHello());
        if (r.backend !== LINUX_AMD64) throw new Error(`served by ${r.backend}, not ${LINUX_AMD64}`);
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
        const cpuBefore = processCpuMs(stack.pid);
        const dockerBefore = dockerDaemonsCpuMs();
        const runsBefore = await client.gvisorRuns();
        await run(n, samples[setting]);
        // The block's shadows are its cost: they are drained (and counted) before the next block.
        if (setting === '100') await client.drainShadows();
        const runsAfter = await client.gvisorRuns();
        const a = account[setting];
        const cpuAfter = processCpuMs(stack.pid);
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
    const byClass = await client.admin<{ runsByClass: Record<string, number> }>('GET', '/release-day/readiness');

    console.log(`load average at end: ${load()}`);
    console.log('');
    console.log(TABLE.header());
    console.log(TABLE.row('shadow 0 %', stats(samples['0'])));
    console.log(TABLE.row(`shadow ${HIGH} %`, stats(samples['100'])));
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
    console.log(`dual runs stored: ${end.stored - afterWarmup.stored} in the measured blocks, ${end.stored - baseline.stored} with the warm-up (accepted ${end.accepted - baseline.accepted}, dropped ${end.dropped - baseline.dropped}); classes: ${JSON.stringify(byClass.runsByClass)}`);
  } finally {
    await stack.stop();
  }
}
