/**
 * What choosing among sandbox hosts costs a run: the frontend's own client (SandboxClient,
 * SandboxStatus: the polled status, the least-loaded choice, the hop) pointed at one host and at
 * two, the same hello binary, alternating run by run, each run once the hosts' pools are full
 * again (so that both measure the hop and the choice, not a pool refill). Both hosts are real
 * sandbox services on this machine, sharing its CPU.
 */
import * as os from 'os';
import { randomBytes } from 'crypto';
import { buildGo } from '../test/support/go-build';
import { SandboxClient } from '../src/frontend/sandbox-client/sandbox-client';
import { SandboxStatus } from '../src/frontend/sandbox-client/sandbox-status';
import type { Settings } from '../src/platform/config/settings';
import { GVISOR_RUNNER } from '../src/contract/sandbox-status';
import { waitForWarmPools } from './support/http';
import { StackProcess } from './support/stack-process';
import { msSince, stats, StatsTable } from './support/stats';

const RUNS = 40;
const WARMUP = 3;
const POOL_SIZE = 2;
const HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, hosts") }\n';
const TABLE = new StatsTable({ name: 34, n: 4, width: 8, digits: 1, columns: ['p50', 'p90', 'mean', 'min', 'max'] });

function clientFor(urls: string[], token: string): { status: SandboxStatus; client: SandboxClient } {
  const values: Record<string, unknown> = { SANDBOX_URL: urls.join(','), SANDBOX_TOKEN: token, SANDBOX_RUN_TIMEOUT_MS: 5000 };
  const settings = { get: (name: string) => values[name] } as unknown as Settings;
  const status = new SandboxStatus(settings);
  return { status, client: new SandboxClient(settings, status) };
}

async function timedRun(via: { status: SandboxStatus; client: SandboxClient }, binary: Buffer): Promise<number> {
  await via.status.refresh(); // as the 2 s poll would have it: fresh
  const began = process.hrtime.bigint();
  const r = await via.client.run(binary, [], GVISOR_RUNNER);
  const took = msSince(began);
  if (r.exitCode !== 0 || !r.stdout.toString().includes('hello, hosts')) throw new Error(`run failed: ${JSON.stringify({ ...r, stdout: r.stdout.toString() })}`);
  return took;
}

export async function sandboxHostsBenchmark(): Promise<void> {
  const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`${os.cpus().length} CPUs, load average ${load()} before the run`);
  const binary = await buildGo(HELLO);
  const token = `bench-${randomBytes(16).toString('hex')}`;
  console.log('starting two sandbox hosts…');
  const hosts = await Promise.all([0, 1].map((i) => StackProcess.start('sandbox', {
    stopTimeoutMs: 20_000,
    env: { SANDBOX_TOKEN: token, SANDBOX_CONTAINER_PREFIX: `play_bench_hosts_${i}_${process.pid}_`, SANDBOX_POOL_SIZE: String(POOL_SIZE) },
  })));
  const one = clientFor([hosts[0].sandboxUrl], token);
  const two = clientFor(hosts.map((h) => h.sandboxUrl), token);
  const samples = { one: [] as number[], two: [] as number[] };
  const poolsFull = () => waitForWarmPools(hosts.map((h) => h.sandboxOpsUrl), POOL_SIZE, 30_000);
  try {
    for (let i = 0; i < WARMUP; i++) {
      await poolsFull();
      await timedRun(one, binary);
      await poolsFull();
      await timedRun(two, binary);
    }
    console.log(`${RUNS} runs each, alternating one host / two hosts, each once every pool is full…`);
    for (let i = 0; i < RUNS; i++) {
      await poolsFull();
      samples.one.push(await timedRun(one, binary));
      await poolsFull();
      samples.two.push(await timedRun(two, binary));
    }
  } finally {
    await Promise.all(hosts.map((h) => h.stop()));
  }
  const a = stats(samples.one);
  const b = stats(samples.two);
  console.log('');
  console.log(TABLE.header());
  console.log(TABLE.row('run via the client, one host', a));
  console.log(TABLE.row('run via the client, two hosts', b));
  console.log(`two hosts / one host, p50: ${(b.p50 / a.p50).toFixed(3)} (${(b.p50 - a.p50).toFixed(1)} ms)`);
  console.log(`load average ${load()} after the run`);
}
