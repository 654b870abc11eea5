import { execFileSync } from 'child_process';
import * as fs from 'fs';

/** Finds the go binary: the setting, else PATH, else the usual install location. */
export function resolveGo(configured: string): string {
  if (configured) return configured;
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && fs.existsSync(`${dir}/go`)) return `${dir}/go`;
  }
  return '/usr/local/go/bin/go';
}

/** "go1.26.8" for a go binary, or throws with the reason it cannot be used. */
export function toolchainVersionOf(goBin: string): string {
  return execFileSync(goBin, ['env', 'GOVERSION'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } }).trim();
}
