/**
 * Benchmarks: `npm run bench -- <name>` runs one, `npm run bench` runs them all in turn.
 * Each benchmark starts what it needs (real Docker, real toolchain) and prints its own table.
 */
import { sandboxRunBenchmark } from './sandbox-run';
import { frontendCompileBenchmark } from './frontend-compile';
import { shadowOverheadBenchmark } from './shadow-overhead';
import { buildSandboxBenchmark } from './build-sandbox';
import { sandboxHostsBenchmark } from './sandbox-hosts';

interface Benchmark {
  description: string;
  run(): Promise<void>;
}

const BENCHMARKS: Record<string, Benchmark> = {
  'sandbox-run': {
    description: 'POST /run: the Docker baseline vs runsc run without Docker (and systrap, and an idle-growing pool): warm p50, sustained runs/s and CPU per run, 20 and 100 at once, start cost split, cold docker run',
    run: sandboxRunBenchmark,
  },
  'frontend-compile': {
    description: 'POST /compile: cache-hit latency and requests/s (4 keep-alive clients), cache-miss latency (build + run)',
    run: frontendCompileBenchmark,
  },
  'build-sandbox': {
    description: 'a cache-miss hello build in the build sandbox vs the same build straight on the host (pairwise), and /compile cache-miss p50',
    run: buildSandboxBenchmark,
  },
  'sandbox-hosts': {
    description: 'a run through the frontend\'s sandbox client with one sandbox host vs two (least-loaded choice), alternating',
    run: sandboxHostsBenchmark,
  },
  'shadow-overhead': {
    description: 'POST /compile p50 (distinct hello programs, linux-amd64 primary) with shadows at 0 % vs 100 %, alternating blocks',
    run: shadowOverheadBenchmark,
  },
};

async function main(): Promise<void> {
  const name = process.argv[2];
  if (name && !(name in BENCHMARKS)) {
    console.error(`unknown benchmark "${name}"; known:`);
    for (const [n, b] of Object.entries(BENCHMARKS)) console.error(`  ${n.padEnd(16)} ${b.description}`);
    process.exitCode = 2;
    return;
  }
  const chosen = name ? [name] : Object.keys(BENCHMARKS);
  for (const n of chosen) {
    console.log(`== ${n}: ${BENCHMARKS[n].description}`);
    await BENCHMARKS[n].run();
    console.log('');
  }
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exitCode = 1;
});
