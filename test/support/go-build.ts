import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectRoot } from '../../src/platform/paths';

export interface GoBuildOptions {
  /** Target architecture; GOOS is always linux. */
  goarch?: 'amd64' | '386';
  /** Build a test binary (`go test -c`) instead of a program. */
  test?: boolean;
  /** Build tags; `faketime` unless given (pass '' for none). */
  tags?: string;
}

/** The Go toolchain the tests use: PLAYGROUND_GO, else `go` on PATH, else the usual install path. */
export function goBinary(): string {
  if (process.env.PLAYGROUND_GO) return process.env.PLAYGROUND_GO;
  const onPath = (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'go')).find((p) => fs.existsSync(p));
  return onPath ?? '/usr/local/go/bin/go';
}

/** The test toolchain's GOROOT (its test/ folder holds Go's own test programs). */
export function goRoot(): string {
  return execFileSync(goBinary(), ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
}

/**
 * Builds Go source with the real toolchain, the way the playground does (linux, no cgo,
 * faketime), and returns the binary. A string is `prog.go`; a record maps file names to
 * contents. The build cache is the project's shared var/gocache so that repeated builds are fast.
 */
export async function buildGo(source: string | Record<string, string>, opts: GoBuildOptions = {}): Promise<Buffer> {
  const files: Record<string, string> = typeof source === 'string' ? { 'prog.go': source } : { ...source };
  if (!('go.mod' in files)) files['go.mod'] = 'module play\n';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'play-gobuild-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(dir, name);
      if (!file.startsWith(dir + path.sep)) throw new Error(`bad file name ${JSON.stringify(name)}`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    const out = path.join(dir, 'a.out');
    const tags = opts.tags ?? 'faketime';
    const args = opts.test ? ['test', '-c', '-o', out] : ['build', '-o', out];
    if (tags) args.push(`-tags=${tags}`);
    args.push('.');
    const gocache = path.join(projectRoot(), 'var', 'gocache');
    fs.mkdirSync(gocache, { recursive: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GOOS: 'linux',
      GOARCH: opts.goarch ?? 'amd64',
      CGO_ENABLED: '0',
      GOCACHE: gocache,
      GOFLAGS: '-mod=mod',
      GOTOOLCHAIN: 'local',
    };
    // GOPROXY comes from the environment as it is (inherited above); never set here.
    await new Promise<void>((resolve, reject) => {
      execFile(goBinary(), args, { cwd: dir, env, maxBuffer: 16 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
        if (err) {
          const output = `${stdout}${stderr}`.split(dir + path.sep).join('').split(dir).join('.').trim();
          reject(new Error(`go ${args[0]} failed: ${output || err.message}`));
        } else {
          resolve();
        }
      });
    });
    return fs.readFileSync(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface DecodedRun {
  error: string | undefined;
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
  /** The program was stopped at its time limit (an ordinary answer otherwise). */
  timedOut: boolean;
}

/** Decodes the sandbox's /run answer (base64 streams) into buffers. */
export function decodeRun(json: unknown): DecodedRun {
  const r = json as { error?: unknown; exitCode?: unknown; stdout?: unknown; stderr?: unknown; timedOut?: unknown };
  if (typeof r !== 'object' || r === null || typeof r.exitCode !== 'number') {
    throw new Error(`not a /run answer: ${JSON.stringify(json)?.slice(0, 200)}`);
  }
  return {
    error: typeof r.error === 'string' ? r.error : undefined,
    exitCode: r.exitCode,
    stdout: Buffer.from(typeof r.stdout === 'string' ? r.stdout : '', 'base64'),
    stderr: Buffer.from(typeof r.stderr === 'string' ? r.stderr : '', 'base64'),
    timedOut: r.timedOut === true,
  };
}

const PLAYBACK_HEADER = 16;

/**
 * Removes faketime playback headers (00 00 'P' 'B', 8-byte BE time, 4-byte BE length) from a
 * stream and returns the text. Bytes outside any header are kept as they are; a header whose
 * length runs past the end keeps what is there.
 */
export function stripPlayback(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i < buf.length) {
    if (buf.length - i >= 4 && buf[i] === 0 && buf[i + 1] === 0 && buf[i + 2] === 0x50 && buf[i + 3] === 0x42) {
      if (buf.length - i < PLAYBACK_HEADER) throw new Error('short header');
      const len = buf.readUInt32BE(i + 12);
      const start = i + PLAYBACK_HEADER;
      const end = Math.min(buf.length, start + len);
      parts.push(buf.subarray(start, end));
      i = end;
    } else {
      // Plain bytes up to the next magic.
      let j = i + 1;
      while (j < buf.length && !(buf[j] === 0 && buf[j + 1] === 0 && buf[j + 2] === 0x50 && buf[j + 3] === 0x42)) j++;
      parts.push(buf.subarray(i, j));
      i = j;
    }
  }
  return Buffer.concat(parts).toString('utf8');
}
