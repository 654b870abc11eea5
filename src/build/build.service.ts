import { Injectable } from '@nestjs/common';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { Settings } from '../config/settings';
import { BuildGate } from './build-gate';
import { BuildTarget } from './build-target';
import { BuildOutcome, BuildRequest, buildProgram } from './go-builder';

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

/** Every backend's builds share one gate, so the machine is never oversubscribed. */
@Injectable()
export class BuildService {
  private readonly gate: BuildGate;

  constructor(private readonly settings: Settings) {
    this.gate = new BuildGate(settings.get('BUILD_CONCURRENCY'), settings.get('BUILD_QUEUE_LIMIT'));
  }

  build(target: BuildTarget, req: BuildRequest): Promise<BuildOutcome> {
    return this.gate.run(() => buildProgram(target, req, {
      timeoutMs: this.settings.get('BUILD_TIMEOUT_MS'),
      maxBinaryBytes: this.settings.get('SANDBOX_MAX_BINARY_BYTES'),
      goproxy: this.settings.get('GOPROXY'),
    }), req.lowPriority);
  }
}
