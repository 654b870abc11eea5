import * as fs from 'fs';
import * as path from 'path';
import { BuildTarget, buildEnv, sumdbSettings } from './build-target';
import { cleanBuildOutput } from './build-errors';
import { modulePolicyErrors } from './module-policy';
import { requestedExperiments } from './experiments';
import { BuildSandbox, ToolResult, Workspace } from './sandbox/build-sandbox';
import { IN_SANDBOX, SANDBOX_PROXY_ADDR } from './sandbox/sandbox-layout';

export interface BuildRequest {
  files: Map<string, string>;
  isTest: boolean;
  vet: boolean;
  /** Dual-run shadows build behind public requests and at the lowest CPU priority. */
  lowPriority?: boolean;
}

/** `transient`: the answer depends on the moment (the module proxy failed), so it is not kept. */
export type BuildOutcome =
  | { ok: true; binary: Buffer; vetErrors?: string; vetOk?: boolean; buildMs: number; transient?: boolean }
  | { ok: false; errors: string; timedOut: boolean; buildMs: number; transient?: boolean };

export const BUILD_TIMEOUT_ERROR = 'timeout running go build';

/**
 * -trimpath: stack traces name "play/prog.go", not a directory, so two backends' (and two
 * runs') outputs compare equal; -s -w: no symbol table or DWARF, which nobody debugs here,
 * makes linking faster and the binary sent to the sandbox smaller.
 */
export const BUILD_FLAGS = ['-trimpath', '-ldflags=-s -w'];

export interface BuildLimits {
  timeoutMs: number;
  maxBinaryBytes: number;
  memoryMb: number;
  /** How messages name the module proxy (the relay's address means nothing to a user). */
  proxyDisplay: string;
}

/** `go 1.26` from `go1.26.8`, so a program without go.mod gets today's language. */
export function languageVersion(toolchainVersion: string): string {
  const m = /^go(\d+)\.(\d+)/.exec(toolchainVersion);
  return m ? `${m[1]}.${m[2]}` : '1.21';
}

/**
 * Compiles a program for one target in the build sandbox, in a private directory that is
 * always removed: the binary (or test binary), then vet when asked.
 */
export async function buildProgram(sandbox: BuildSandbox, target: BuildTarget, req: BuildRequest, limits: BuildLimits): Promise<BuildOutcome> {
  const began = Date.now();
  const failed = (errors: string, extra: { timedOut?: boolean; transient?: boolean } = {}): BuildOutcome =>
    ({ ok: false, errors, timedOut: extra.timedOut ?? false, transient: extra.transient, buildMs: Date.now() - began });
  const refused = modulePolicyErrors(req.files);
  if (refused) return failed(refused);
  const experiments = requestedExperiments(req.files);
  const ws = sandbox.workspace();
  try {
    writeFiles(ws, req.isTest ? asTestFiles(req.files) : req.files, target);
    const tags = target.tags.length ? [`-tags=${target.tags.join(',')}`] : [];
    const out = `${IN_SANDBOX.out}/a.out`;
    const go = `${IN_SANDBOX.goroot}/bin/go`;
    const command = req.isTest ? [go, 'test', '-c', '-o', out, ...BUILD_FLAGS, ...tags, '.'] : [go, 'build', '-o', out, ...BUILD_FLAGS, ...tags, '.'];
    const step = (cmd: string[], moduleProxy: boolean): Promise<ToolResult> => sandbox.run(ws, {
      toolchain: target.toolchain,
      command: cmd,
      env: buildEnv(target, { moduleProxy, experiments, sumdb: sumdbSettings() }),
      timeoutMs: limits.timeoutMs,
      moduleProxy,
      lowPriority: req.lowPriority,
    });
    const build = await step(command, true);
    const text = (r: ToolResult): string => cleanBuildOutput(r.output, IN_SANDBOX.src).replaceAll(`http://${SANDBOX_PROXY_ADDR}`, limits.proxyDisplay);
    const transient = build.transient;
    // As play.golang.org: the message, then what the build printed until it was stopped.
    if (build.timedOut) return failed(`${BUILD_TIMEOUT_ERROR}\n${text(build)}`, { timedOut: true, transient });
    if (build.code !== 0) {
      if (/file size limit exceeded/.test(build.output)) return failed(`binary too large: the limit is ${limits.maxBinaryBytes} bytes\n`, { transient });
      const oom = build.outOfMemory ? `\nthe build ran out of memory (its limit is ${limits.memoryMb} MB)\n` : '';
      return failed(text(build) + oom, { transient });
    }
    const binary = readBinary(ws);
    // go test -c succeeds without writing a binary when the package has no test files.
    if (!binary) return failed(text(build).trim() || 'no test files', { transient });
    if (binary.length > limits.maxBinaryBytes) {
      return failed(`binary too large: ${binary.length} bytes exceeds the limit of ${limits.maxBinaryBytes}`, { transient });
    }
    if (!req.vet) return { ok: true, binary, buildMs: Date.now() - began, transient };
    const vet = await step([go, 'vet', ...tags, '.'], false);
    const vetText = vet.timedOut ? 'timeout running go vet' : text(vet).trim();
    const vetOk = !vet.timedOut && vet.code === 0;
    return { ok: true, binary, buildMs: Date.now() - began, transient: transient || vet.timedOut, ...(vetOk ? { vetOk: true } : { vetErrors: vetText + '\n' }) };
  } finally {
    ws.remove();
  }
}

function readBinary(ws: Workspace): Buffer | null {
  const file = path.join(ws.out, 'a.out');
  return fs.existsSync(file) ? fs.readFileSync(file) : null;
}

/**
 * go test only reads Test/Example/Fuzz functions from _test.go files, so a test program's root
 * .go files are written as such (prog.go becomes prog_test.go, as on play.golang.org).
 */
function asTestFiles(files: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, data] of files) {
    const renamed = !name.includes('/') && name.endsWith('.go') && !name.endsWith('_test.go') ? `${name.slice(0, -3)}_test.go` : name;
    out.set(files.has(renamed) ? name : renamed, data);
  }
  return out;
}

function writeFiles(ws: Workspace, files: Map<string, string>, target: BuildTarget): void {
  for (const [name, data] of files) ws.write(name, data);
  if (!files.has('go.mod')) ws.write('go.mod', `module play\n\ngo ${languageVersion(target.toolchain.version)}\n`);
}
