import * as fs from 'fs';
import * as path from 'path';
import { BuildTarget, goEnv } from './build-target';
import { runCommand } from './run-command';
import { makeWorkDir, removeWorkDir } from './work-dir';
import { cleanBuildOutput } from './build-errors';
import { BadProgramError } from './bad-program.error';

export interface BuildRequest {
  files: Map<string, string>;
  isTest: boolean;
  vet: boolean;
  /** Dual-run shadows build behind public requests and at the lowest CPU priority. */
  lowPriority?: boolean;
}

export type BuildOutcome =
  | { ok: true; binary: Buffer; vetErrors?: string; vetOk?: boolean; buildMs: number }
  | { ok: false; errors: string; timedOut: boolean; buildMs: number };

export const BUILD_TIMEOUT_ERROR = 'timeout running go build';

/**
 * -trimpath: stack traces name "play/prog.go", not a random temp dir, so two backends' (and
 * two runs') outputs compare equal; -s -w: no symbol table or DWARF, which nobody debugs here,
 * makes linking faster and the binary sent to the sandbox smaller.
 */
export const BUILD_FLAGS = ['-trimpath', '-ldflags=-s -w'];

export interface BuildLimits {
  timeoutMs: number;
  maxBinaryBytes: number;
  goproxy: string;
}

/** `go 1.26` from `go1.26.8`, so a program without go.mod gets today's language. */
export function languageVersion(toolchainVersion: string): string {
  const m = /^go(\d+)\.(\d+)/.exec(toolchainVersion);
  return m ? `${m[1]}.${m[2]}` : '1.21';
}

/**
 * Compiles a program for one target in a temporary directory that is always removed: the
 * binary (or test binary), then vet when asked.
 */
export async function buildProgram(target: BuildTarget, req: BuildRequest, limits: BuildLimits): Promise<BuildOutcome> {
  const began = Date.now();
  const dir = makeWorkDir('play-build');
  try {
    writeFiles(dir, req.isTest ? asTestFiles(req.files) : req.files, target);
    const env = goEnv(target, dir, limits.goproxy);
    const out = path.join(dir, 'a.out');
    const tags = target.tags.length ? [`-tags=${target.tags.join(',')}`] : [];
    const argv = req.isTest
      ? [target.goBin, 'test', '-c', '-o', out, ...BUILD_FLAGS, ...tags, '.']
      : [target.goBin, 'build', '-o', out, ...BUILD_FLAGS, ...tags, '.'];
    const nice = req.lowPriority ? ['nice', '-n', '19'] : [];
    const build = await runCommand([...nice, ...argv], { cwd: dir, env, timeoutMs: limits.timeoutMs });
    if (build.timedOut) return { ok: false, errors: BUILD_TIMEOUT_ERROR, timedOut: true, buildMs: Date.now() - began };
    if (build.code !== 0) {
      return { ok: false, errors: cleanBuildOutput(build.output, dir), timedOut: false, buildMs: Date.now() - began };
    }
    // go test -c succeeds without writing a binary when the package has no test files.
    if (!fs.existsSync(out)) {
      return { ok: false, errors: cleanBuildOutput(build.output, dir).trim() || 'no test files', timedOut: false, buildMs: Date.now() - began };
    }
    const size = fs.statSync(out).size;
    if (size > limits.maxBinaryBytes) {
      return { ok: false, errors: `binary too large: ${size} bytes exceeds the limit of ${limits.maxBinaryBytes}`, timedOut: false, buildMs: Date.now() - began };
    }
    const binary = fs.readFileSync(out);
    if (!req.vet) return { ok: true, binary, buildMs: Date.now() - began };
    const vet = await runCommand([...nice, target.goBin, 'vet', ...tags, '.'], { cwd: dir, env, timeoutMs: limits.timeoutMs });
    const vetText = vet.timedOut ? 'timeout running go vet' : cleanBuildOutput(vet.output, dir).trim();
    const vetOk = !vet.timedOut && vet.code === 0;
    return { ok: true, binary, buildMs: Date.now() - began, ...(vetOk ? { vetOk: true } : { vetErrors: vetText + '\n' }) };
  } finally {
    removeWorkDir(dir);
  }
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

function writeFiles(dir: string, files: Map<string, string>, target: BuildTarget): void {
  for (const [name, data] of files) {
    const file = path.join(dir, name);
    // Names were validated by the txtar parser; this is a second lock on the door.
    if (!file.startsWith(dir + path.sep)) throw new BadProgramError(`invalid file name "${name}"`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
  }
  if (!files.has('go.mod')) {
    fs.writeFileSync(path.join(dir, 'go.mod'), `module play\n\ngo ${languageVersion(target.toolchainVersion)}\n`);
  }
}
