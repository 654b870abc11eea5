/**
 * What the build sandbox costs a cache-miss build, and what a cache-miss /compile costs with it.
 *
 *   build, unsandboxed: the same go command line and environment, straight on the host with one
 *                       shared, writable build cache warmed the same way: what the service did
 *                       before builds were sandboxed
 *   build, sandboxed:   BuildService.build, the service's own path (bubblewrap, seccomp, cgroup,
 *                       module proxy relay, the shared cache read-only under a private layer)
 *   /compile miss:      distinct hello programs through the real frontend (child process), each
 *                       a sandboxed build plus a run in a warm gVisor container
 *
 * The two build columns alternate program by program (A B A B …, each program distinct so
 * nothing is a cache hit), so a drift of the machine's speed hits both; the ratio is taken
 * pair by pair.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { Settings, validateSettings } from '../src/platform/config/settings';
import { BuildService } from '../src/frontend/builder/build.service';
import { BUILD_FLAGS, languageVersion } from '../src/frontend/builder/go-builder';
import { runCommand } from '../src/frontend/builder/run-command';
import { describeToolchain } from '../src/frontend/builder/toolchain';
import type { BuildTarget } from '../src/frontend/builder/build-target';
import { varDir } from '../src/platform/paths';
import { goBinary } from '../test/support/go-build';
import { CompileResponse, output } from '../test/support/compile';
import { request } from '../test/support/http';
import { compileForm } from './support/http';
import { StackProcess } from './support/stack-process';
import { msSince, stats, StatsTable } from './support/stats';

const PAIRS = 25;
const MISSES = 25;
const GOAL_OVERHEAD = 1.15;
const GOAL_MISS_P50_MS = 350;
const TABLE = new StatsTable({ name: 30, n: 5, width: 9, digits: 1, columns: ['p50', 'p90', 'mean', 'min', 'max'] });

const hello = (text: string): string => `package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println(${JSON.stringify(text)})\n}\n`;

/** The unsandboxed build: what go-builder runs, with host paths instead of the sandbox's. */
async function hostBuild(target: BuildTarget, base: string, source: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'play-bench-host-'));
  try {
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'prog.go'), source);
    fs.writeFileSync(path.join(dir, 'src', 'go.mod'), `module play\n\ngo ${languageVersion(target.toolchain.version)}\n`);
    const goroot = target.toolchain.goroot;
    const r = await runCommand([`${goroot}/bin/go`, 'build', '-o', path.join(dir, 'a.out'), ...BUILD_FLAGS, '-tags=faketime', '.'], {
      cwd: path.join(dir, 'src'),
      timeoutMs: 60_000,
      env: {
        PATH: `${goroot}/bin:/usr/bin:/bin`, GOROOT: goroot, HOME: dir, TMPDIR: dir,
        GOCACHE: base,
        GOMODCACHE: path.join(dir, 'mod'), GOPATH: path.join(dir, 'gopath'), GOTOOLCHAIN: 'local', GOENV: 'off', GOTELEMETRY: 'off',
        GOWORK: 'off', GOVCS: '*:off', GOPROXY: 'off', GOFLAGS: '-mod=mod -buildvcs=false -modcacherw', CGO_ENABLED: '0',
        GOOS: target.goos, GOARCH: target.goarch,
      },
    });
    if (r.code !== 0 || !fs.existsSync(path.join(dir, 'a.out'))) throw new Error(`host build failed: ${r.output.slice(0, 300)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function compareBuilds(nonce: string): Promise<{ host: number[]; sandboxed: number[]; ratios: number[] }> {
  const builds = new BuildService(new Settings(validateSettings(process.env)));
  const target: BuildTarget = { toolchain: describeToolchain(goBinary()), goos: 'linux', goarch: 'amd64', tags: ['faketime'] };
  const problem = await builds.checkSandbox(target.toolchain);
  if (problem) throw new Error(problem);
  // The host's own shared cache, filled by the unmeasured host builds (its cache keys name host
  // paths, so the sandbox's would not serve it).
  const hostBase = path.join(varDir(), 'bench', `host-build-cache-${target.toolchain.version}`);
  fs.mkdirSync(hostBase, { recursive: true });
  const sandboxed = async (source: string): Promise<void> => {
    const r = await builds.build(target, { files: new Map([['prog.go', source]]), isTest: false, vet: false });
    if (!r.ok) throw new Error(`sandboxed build failed: ${r.errors.slice(0, 300)}`);
  };
  for (let i = 0; i < 3; i++) {
    await hostBuild(target, hostBase, hello(`warm-up host ${i} ${nonce}`));
    await sandboxed(hello(`warm-up sandbox ${i} ${nonce}`));
  }
  const host: number[] = [];
  const inSandbox: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    let t = process.hrtime.bigint();
    await hostBuild(target, hostBase, hello(`host ${i} ${nonce}`));
    host.push(msSince(t));
    t = process.hrtime.bigint();
    await sandboxed(hello(`sandboxed ${i} ${nonce}`));
    inSandbox.push(msSince(t));
    ratios.push(inSandbox[i] / host[i]);
  }
  return { host, sandboxed: inSandbox, ratios };
}

async function compileMisses(nonce: string): Promise<number[]> {
  const stack = await StackProcess.start('frontend');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const post = (text: string) => request(`${stack.frontendUrl}/compile`, {
      method: 'POST', agent, body: compileForm(hello(text)),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Playground-Backend': 'linux-amd64' },
    });
    const ms: number[] = [];
    for (let i = -2; i < MISSES; i++) {
      const text = `miss ${i} ${nonce}`;
      const a = await post(text);
      if (a.status !== 200 || output(a.json<CompileResponse>()) !== `${text}\n`) throw new Error(`/compile answered ${a.status}: ${a.text.slice(0, 300)}`);
      if (i >= 0) ms.push(a.ms);
    }
    return ms;
  } finally {
    agent.destroy();
    await stack.stop();
  }
}

export async function buildSandboxBenchmark(): Promise<void> {
  const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`${os.cpus().length} CPUs, load average ${load()} before the run`);
  const nonce = `${process.pid}-${Date.now().toString(36)}`;
  console.log(`build: ${PAIRS} pairs of distinct hello programs, unsandboxed then sandboxed (after 3 unmeasured of each)…`);
  const b = await compareBuilds(nonce);
  console.log(`/compile cache miss: ${MISSES} distinct hello programs through the frontend (after 2 unmeasured)…`);
  const miss = stats(await compileMisses(nonce));
  const ratio = stats(b.ratios);
  const host = stats(b.host);
  const sandboxed = stats(b.sandboxed);
  console.log('');
  console.log(TABLE.header());
  console.log(TABLE.row('build, unsandboxed', host));
  console.log(TABLE.row('build, sandboxed', sandboxed));
  console.log(TABLE.row('/compile cache miss (sandboxed)', miss));
  console.log('');
  console.log(`sandboxed / unsandboxed, pair by pair: median ${ratio.p50.toFixed(3)} (min ${ratio.min.toFixed(3)}, max ${ratio.max.toFixed(3)})`);
  console.log(`the sandbox adds ${(sandboxed.p50 - host.p50).toFixed(1)} ms to a build at the median: ${((100 * (sandboxed.p50 - host.p50)) / miss.p50).toFixed(1)} % of a cache-miss /compile`);
  console.log(`load average ${load()} after the run`);
  console.log(`goal sandbox overhead <= ${Math.round((GOAL_OVERHEAD - 1) * 100)} %: ${ratio.p50 <= GOAL_OVERHEAD ? 'met' : 'MISSED'} (${((ratio.p50 - 1) * 100).toFixed(1)} %)`);
  console.log(`goal /compile cache miss p50 <= ${GOAL_MISS_P50_MS} ms: ${miss.p50 <= GOAL_MISS_P50_MS ? 'met' : 'MISSED'} (${miss.p50.toFixed(1)} ms)`);
}
