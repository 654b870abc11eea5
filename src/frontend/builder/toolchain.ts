import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';

/** Finds the go binary: the setting, else PATH, else the usual install location. */
export function resolveGo(configured: string): string {
  if (configured) return configured;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && fs.existsSync(`${dir}/go`)) return `${dir}/go`;
  }
  return '/usr/local/go/bin/go';
}

export interface Toolchain {
  /** e.g. "go1.26.8". */
  version: string;
  /** The tree the build sandbox mounts read-only. */
  goroot: string;
}

/**
 * What a go binary is, asked of the binary itself (our own question, no user input), or
 * throws with the reason it cannot be used.
 */
export function describeToolchain(goBin: string): Toolchain {
  const [version, goroot] = execFileSync(goBin, ['env', 'GOVERSION', 'GOROOT'], {
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', HOME: os.tmpdir(), GOTOOLCHAIN: 'local', GOENV: 'off', GOTELEMETRY: 'off' },
  }).split('\n').map((l) => l.trim());
  return { version, goroot: fs.realpathSync(goroot) };
}
