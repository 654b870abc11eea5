import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkNaclToolchain, NaclAmd64p32Backend } from './nacl-amd64p32.backend';
import { NACL_RUNNER } from '../runner-ids';
import type { BuildService } from '../../src/frontend/builder/build.service';
import type { BuildRequest } from '../../src/frontend/builder/go-builder';
import type { SandboxClient } from '../../src/frontend/sandbox-client/sandbox-client';
import type { SandboxStatus } from '../../src/frontend/sandbox-client/sandbox-status';
import type { Availability } from '../../src/frontend/backends/execution-backend';

// The GOROOTs below are fake directories whose bin/go is a shell script answering version
// queries; nothing here builds or runs a NaCl program (no NaCl toolchain exists on this machine).

let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'nacl-goroot-spec-'));
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

let n = 0;

/**
 * A fake GOROOT: bin/go answers `go env GOVERSION` with `envVersion` (an empty line, as Go
 * before 1.16 does, when '') and `go version` with `go version <version> linux/amd64`.
 */
function fakeGoroot(opts: { envVersion: string; version?: string; rt0?: boolean; pkgTool?: boolean }): string {
  const dir = path.join(root, `goroot-${n++}`);
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  const script = `#!/bin/sh
if [ "$1" = env ] && [ "$2" = GOVERSION ] && [ "$3" = GOROOT ]; then echo '${opts.envVersion}'; echo '${dir}'; exit 0; fi
if [ "$1" = version ]; then echo 'go version ${opts.version ?? opts.envVersion} linux/amd64'; exit 0; fi
echo "fake go: unexpected arguments: $*" >&2
exit 2
`;
  fs.writeFileSync(path.join(dir, 'bin', 'go'), script, { mode: 0o755 });
  if (opts.rt0 ?? true) {
    fs.mkdirSync(path.join(dir, 'src', 'runtime'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src', 'runtime', 'rt0_nacl_amd64p32.s'), '// placeholder of a fixture, not Go\'s file\n');
  }
  if (opts.pkgTool ?? true) fs.mkdirSync(path.join(dir, 'pkg', 'tool', 'linux_amd64'), { recursive: true });
  return dir;
}

function problemOf(goroot: string): string {
  const r = checkNaclToolchain(goroot);
  if (!('problem' in r)) throw new Error(`expected a refusal, got target ${JSON.stringify(r.target)}`);
  return r.problem;
}

describe('checkNaclToolchain', () => {
  it('refuses an empty setting and names NACL_GOROOT', () => {
    expect(problemOf('')).toMatch(/NACL_GOROOT/);
  });

  it('refuses a path without bin/go', () => {
    const dir = path.join(root, 'no-go');
    fs.mkdirSync(dir);
    expect(problemOf(dir)).toMatch(/has no bin\/go/);
    expect(problemOf(path.join(root, 'does-not-exist'))).toMatch(/has no bin\/go/);
  });

  it('refuses a toolchain that is too new (go1.20)', () => {
    expect(problemOf(fakeGoroot({ envVersion: 'go1.20' }))).toMatch(/go1\.20; NaCl needs Go 1\.13 or older/);
  });

  it('refuses go1.14, the release that removed NaCl', () => {
    expect(problemOf(fakeGoroot({ envVersion: 'go1.14' }))).toMatch(/go1\.14; NaCl needs Go 1\.13 or older/);
  });

  it('refuses go1.13.15 without src/runtime/rt0_nacl_amd64p32.s', () => {
    expect(problemOf(fakeGoroot({ envVersion: 'go1.13.15', rt0: false }))).toMatch(/rt0_nacl_amd64p32\.s missing/);
  });

  it('refuses a tree that was never built (no pkg/tool), saying so', () => {
    expect(problemOf(fakeGoroot({ envVersion: 'go1.13.15', pkgTool: false }))).toMatch(/pkg\/tool missing/);
  });

  it('refuses a bin/go that does not run, with the reason', () => {
    const dir = fakeGoroot({ envVersion: 'go1.13.15' });
    fs.writeFileSync(path.join(dir, 'bin', 'go'), '#!/bin/sh\necho broken >&2\nexit 3\n', { mode: 0o755 });
    expect(problemOf(dir)).toMatch(/does not run/);
  });

  it('accepts go1.13.15 with the nacl runtime: GOOS=nacl GOARCH=amd64p32, no faketime tag, goflags empty', () => {
    const dir = fakeGoroot({ envVersion: 'go1.13.15' });
    expect(checkNaclToolchain(dir)).toEqual({
      target: { toolchain: { version: 'go1.13.15', goroot: fs.realpathSync(dir) }, goos: 'nacl', goarch: 'amd64p32', tags: [], goflags: '' },
    });
  });

  it('reads the version from `go version` when `go env GOVERSION` is empty, as with every Go before 1.16', () => {
    const r = checkNaclToolchain(fakeGoroot({ envVersion: '', version: 'go1.13.15' }));
    expect('target' in r && r.target.toolchain.version).toBe('go1.13.15');
    expect(problemOf(fakeGoroot({ envVersion: '', version: 'go1.15.15' }))).toMatch(/go1\.15\.15; NaCl needs Go 1\.13 or older/);
  });
});

describe('NaclAmd64p32Backend', () => {
  const request: BuildRequest = { files: new Map([['prog.go', 'package main\n\nfunc main() {}\n']]), isTest: false, vet: false };

  function backend(goroot: string, runner: Availability) {
    const calls = { build: 0, run: 0, runner: [] as string[], targets: [] as unknown[] };
    const builds = { sandboxProblem: () => null, build: async (target: unknown) => { calls.build++; calls.targets.push(target); return { ok: false, errors: 'stub', timedOut: false, buildMs: 0 }; } } as unknown as BuildService;
    const sandbox = { run: async () => { calls.run++; return { exitCode: 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) }; } } as unknown as SandboxClient;
    const status = { runner: (id: string) => { calls.runner.push(id); return runner; } } as unknown as SandboxStatus;
    return { b: new NaclAmd64p32Backend(goroot, builds, sandbox, status), calls };
  }

  it('is the real legacy path, not an emulation', () => {
    const { b } = backend('', { available: true });
    expect(b.id).toBe('nacl-amd64p32');
    expect(b.legacy).toBe(true);
    expect(b.emulation).toBe(false);
  });

  it('without a toolchain is unavailable with the reason, and build() throws instead of pretending', () => {
    const { b, calls } = backend('', { available: true });
    const a = b.availability();
    expect(a.available).toBe(false);
    expect(a.reason).toMatch(/NACL_GOROOT/);
    expect(calls.runner).toEqual([]); // the sandbox's word cannot make up for a missing toolchain
    expect(() => b.build(request)).toThrow(/NACL_GOROOT/);
    expect(calls.build).toBe(0);
    expect(b.toolchainVersion()).toBe('not configured');
  });

  it('with a refused toolchain build() throws the refusal', () => {
    const { b, calls } = backend(fakeGoroot({ envVersion: 'go1.20' }), { available: true });
    expect(b.availability()).toEqual({ available: false, reason: expect.stringMatching(/NaCl needs Go 1\.13 or older/) });
    expect(() => b.build(request)).toThrow(/NaCl needs Go 1\.13 or older/);
    expect(calls.build).toBe(0);
  });

  it('with an accepted toolchain is exactly as available as the sandbox\'s sel_ldr runner', () => {
    const why = `sandbox runner ${NACL_RUNNER}: no NaCl loader configured: set NACL_SEL_LDR to a sel_ldr_x86_64 binary`;
    const { b, calls } = backend(fakeGoroot({ envVersion: 'go1.13.15' }), { available: false, reason: why });
    expect(b.availability()).toEqual({ available: false, reason: why });
    expect(calls.runner).toEqual([NACL_RUNNER]);
    expect(b.toolchainVersion()).toBe('go1.13.15');
  });

  it('with an accepted toolchain and a working sel_ldr runner, builds for nacl/amd64p32 and runs through the sandbox', async () => {
    const dir = fakeGoroot({ envVersion: 'go1.13.15' });
    const { b, calls } = backend(dir, { available: true });
    expect(b.availability()).toEqual({ available: true });
    await b.build(request);
    expect(calls.targets).toEqual([expect.objectContaining({ toolchain: { version: 'go1.13.15', goroot: fs.realpathSync(dir) }, goos: 'nacl', goarch: 'amd64p32', tags: [] })]);
    await b.run(Buffer.from('binary'), ['-test.v']);
    expect(calls.run).toBe(1);
  });
});
