import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { BuildService } from '../../src/frontend/builder/build.service';
import { describeToolchain, Toolchain } from '../../src/frontend/builder/toolchain';
import type { BuildTarget } from '../../src/frontend/builder/build-target';
import type { BuildOutcome, BuildRequest } from '../../src/frontend/builder/go-builder';
import type { Availability, ExecutionBackend } from '../../src/frontend/backends/execution-backend';
import type { SandboxClient } from '../../src/frontend/sandbox-client/sandbox-client';
import type { SandboxStatus } from '../../src/frontend/sandbox-client/sandbox-status';
import { NACL_RUNNER } from '../runner-ids';
import type { RunResult } from '../../src/contract/run-result';

const NACL_AMD64P32 = 'nacl-amd64p32';

/** Checks a configured GOROOT: present, Go ≤ 1.13, able to target nacl/amd64p32. */
export function checkNaclToolchain(goroot: string): { target: BuildTarget } | { problem: string } {
  if (!goroot) return { problem: 'no NaCl toolchain configured: set NACL_GOROOT to a Go ≤ 1.13 tree built for nacl/amd64p32' };
  const goBin = path.join(goroot, 'bin', 'go');
  if (!fs.existsSync(goBin)) return { problem: `NACL_GOROOT=${goroot} has no bin/go` };
  let toolchain: Toolchain;
  try {
    toolchain = oldToolchain(goBin);
  } catch (e) {
    return { problem: `${goBin} does not run: ${(e as Error).message.split('\n')[0]}` };
  }
  const m = /^go1\.(\d+)/.exec(toolchain.version);
  if (!m || Number(m[1]) > 13) return { problem: `${goBin} is ${toolchain.version || 'of an unknown version'}; NaCl needs Go 1.13 or older` };
  if (!fs.existsSync(path.join(goroot, 'src', 'runtime', 'rt0_nacl_amd64p32.s'))) {
    return { problem: `${goroot} has no nacl/amd64p32 runtime (src/runtime/rt0_nacl_amd64p32.s missing)` };
  }
  if (!fs.existsSync(path.join(goroot, 'pkg', 'tool'))) {
    return { problem: `${goroot} has no compiler tools (pkg/tool missing): build the tree first (src/make.bash)` };
  }
  // Go ≤ 1.13: no -mod=mod; NaCl's runtime plays back time on its own, so no faketime tag.
  return { target: { toolchain, goos: 'nacl', goarch: 'amd64p32', tags: [], goflags: '' } };
}

/**
 * "go1.13.15" and its tree for a go binary. `go env GOVERSION` only exists since Go 1.16; older
 * go commands print an empty line for it, so their version is read from `go version` instead.
 */
function oldToolchain(goBin: string): Toolchain {
  const t = describeToolchain(goBin);
  if (t.version) return t;
  const said = execFileSync(goBin, ['version'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', GOTOOLCHAIN: 'local' } });
  return { ...t, version: /\bgo version (\S+)/.exec(said)?.[1] ?? '' };
}

/**
 * The real legacy path: programs built with an old toolchain for nacl/amd64p32 and run under
 * sel_ldr inside the sandbox backend. Unavailable (and saying why) unless an operator has the
 * toolchain and the loader; it never pretends to run anything.
 */
export class NaclAmd64p32Backend implements ExecutionBackend {
  readonly id = NACL_AMD64P32;
  readonly label = 'NaCl (nacl/amd64p32 under sel_ldr)';
  readonly legacy = true;
  readonly emulation = false;
  private readonly checked: ReturnType<typeof checkNaclToolchain>;

  constructor(goroot: string, private readonly builds: BuildService, private readonly sandbox: SandboxClient, private readonly status: SandboxStatus) {
    this.checked = checkNaclToolchain(goroot);
  }

  availability(): Availability {
    if ('problem' in this.checked) return { available: false, reason: this.checked.problem };
    const sandbox = this.builds.sandboxProblem(this.checked.target.toolchain);
    if (sandbox) return { available: false, reason: sandbox };
    return this.status.runner(NACL_RUNNER);
  }

  toolchainVersion(): string {
    return this.buildTarget()?.toolchain.version ?? 'not configured';
  }

  buildTarget(): BuildTarget | undefined {
    return 'target' in this.checked ? this.checked.target : undefined;
  }

  build(req: BuildRequest): Promise<BuildOutcome> {
    if ('problem' in this.checked) throw new Error(this.checked.problem);
    return this.builds.build(this.checked.target, req);
  }

  run(binary: Buffer, args: string[]): Promise<RunResult> {
    return this.sandbox.run(binary, args, NACL_RUNNER);
  }
}
