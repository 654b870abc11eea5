/**
 * Warm pool versus cold container: what the pre-started pool buys for one run of a small program.
 *
 *   warm: POST /run to the real sandbox backend (started here, sandbox only), timed at the client,
 *         waiting before each run until the pool is full again, so that every run finds a started
 *         container (what the pool is for); a short back-to-back series shows what happens when
 *         runs come faster than the pool refills.
 *   cold: `docker run --rm -i --runtime=runsc --network=none playground-sandbox:latest` of the same
 *         binary, fed on stdin in the supervisor's request format, timed until docker exits (and,
 *         for information, until the supervisor's result line arrived).
 */
import { spawn } from 'child_process';
import * as os from 'os';
import { buildGo, decodeRun } from '../test/support/go-build';
import { sleep } from '../test/support/http';
import { sandboxMetrics } from './support/http';
import { StackProcess } from './support/stack-process';
import { msSince, stats, StatsTable } from './support/stats';

const WARM_RUNS = 60;
const COLD_RUNS = 15;
const BACK_TO_BACK_RUNS = 15;
const WARMUP_RUNS = 3;
const IMAGE = 'playground-sandbox:latest';
const GOAL_WARM_P50_MS = 70;
const GOAL_RATIO = 6;

const HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, world") }\n';

const TABLE = new StatsTable({ name: 44, n: 4, width: 8, digits: 1, columns: ['p50', 'p95', 'mean', 'min', 'max'] });

async function poolReady(sandbox: StackProcess): Promise<number> {
  return (await sandboxMetrics(sandbox.sandboxOpsUrl)).gvisor('sandbox_pool_ready') ?? 0;
}

async function waitForFullPool(sandbox: StackProcess, size: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await poolReady(sandbox)) < size) {
    if (Date.now() > deadline) throw new Error('the warm pool did not fill within 30 s');
    await sleep(25);
  }
}

async function warmRun(sandbox: StackProcess, binary: Buffer): Promise<number> {
  const began = process.hrtime.bigint();
  const res = await fetch(`${sandbox.sandboxUrl}/run`, { method: 'POST', body: binary, headers: { 'Content-Type': 'application/octet-stream', ...sandbox.sandboxAuth } });
  const body: unknown = await res.json();
  const took = msSince(began);
  const r = decodeRun(body);
  if (!res.ok || r.exitCode !== 0 || !r.stdout.includes('hello, world')) {
    throw new Error(`warm run failed: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  }
  return took;
}

/** One `docker run --rm` of the binary; returns [until the result line, until docker exited]. */
function coldRun(binary: Buffer): Promise<[number, number]> {
  return new Promise((resolve, reject) => {
    const began = process.hrtime.bigint();
    let resultAt = 0;
    let out = '';
    let err = '';
    const child = spawn('docker', ['run', '--rm', '-i', '--runtime=runsc', '--network=none', IMAGE], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      out += c;
      if (!resultAt && out.includes('\n')) resultAt = msSince(began);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => { err += c; });
    child.on('error', reject);
    child.stdin.on('error', (e) => { err += `(stdin: ${e.message}) `; }); // docker went away: reported on close
    child.on('close', (code) => {
      const total = msSince(began);
      try {
        const r = decodeRun(JSON.parse(out.split('\n')[0]));
        if (code !== 0 || r.exitCode !== 0 || !r.stdout.includes('hello, world')) throw new Error(`exit ${code}, ${out.slice(0, 200)}`);
        resolve([resultAt, total]);
      } catch (e) {
        reject(new Error(`cold run failed: ${(e as Error).message} ${err.slice(0, 300)}`));
      }
    });
    child.stdin.write(JSON.stringify({ args: [], size: binary.length }) + '\n');
    child.stdin.end(binary);
  });
}

export async function sandboxRunBenchmark(): Promise<void> {
  const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`load average at start: ${load()} (${os.cpus().length} CPUs); other work on the machine skews these figures`);
  console.log('building the hello binary (go build, linux/amd64, faketime)…');
  const binary = await buildGo(HELLO);
  console.log(`binary: ${(binary.length / 1024 / 1024).toFixed(2)} MiB`);

  console.log('starting the sandbox backend (sandbox only)…');
  const sandbox = await StackProcess.start('sandbox', { stopTimeoutMs: 20_000 });
  const warm: number[] = [];
  const backToBack: number[] = [];
  const poolSize = 2; // what startStack configures
  try {
    await waitForFullPool(sandbox, poolSize);
    for (let i = 0; i < WARMUP_RUNS; i++) {
      await warmRun(sandbox, binary);
      await waitForFullPool(sandbox, poolSize);
    }
    console.log(`warm: ${WARM_RUNS} sequential runs, each once the pool is full again…`);
    for (let i = 0; i < WARM_RUNS; i++) {
      await waitForFullPool(sandbox, poolSize);
      warm.push(await warmRun(sandbox, binary));
    }
    console.log(`back to back: ${BACK_TO_BACK_RUNS} sequential runs without waiting for the pool…`);
    await waitForFullPool(sandbox, poolSize);
    for (let i = 0; i < BACK_TO_BACK_RUNS; i++) backToBack.push(await warmRun(sandbox, binary));
    await waitForFullPool(sandbox, poolSize);
  } finally {
    await sandbox.stop();
  }

  console.log(`cold: ${COLD_RUNS} x docker run --rm -i --runtime=runsc --network=none ${IMAGE}…`);
  await coldRun(binary); // one unmeasured, so that the image and runsc are in the page cache
  const coldResult: number[] = [];
  const coldTotal: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const [result, total] = await coldRun(binary);
    coldResult.push(result);
    coldTotal.push(total);
  }

  console.log(`load average at end: ${load()}`);
  const w = stats(warm);
  const b = stats(backToBack);
  const cr = stats(coldResult);
  const ct = stats(coldTotal);
  console.log('');
  console.log(TABLE.header());
  console.log(TABLE.row('warm pool, POST /run (pool full)', w));
  console.log(TABLE.row('warm pool, POST /run (back to back)', b));
  console.log(TABLE.row('cold docker run: until result line', cr));
  console.log(TABLE.row('cold docker run: until docker exited', ct));
  const ratio = ct.p50 / w.p50;
  console.log('');
  console.log(`ratio cold p50 / warm p50: ${ratio.toFixed(1)}x (until the result line: ${(cr.p50 / w.p50).toFixed(1)}x)`);
  console.log(`goal warm p50 <= ${GOAL_WARM_P50_MS} ms: ${w.p50 <= GOAL_WARM_P50_MS ? 'met' : 'MISSED'} (${w.p50.toFixed(1)} ms)`);
  console.log(`goal ratio >= ${GOAL_RATIO}: ${ratio >= GOAL_RATIO ? 'met' : 'MISSED'} (${ratio.toFixed(1)}x)`);
}
