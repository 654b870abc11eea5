import { Injectable } from '@nestjs/common';
import { Settings } from '../config/settings';
import { BuildGate } from './build-gate';
import { BuildTarget } from './build-target';
import { BuildOutcome, BuildRequest, buildProgram } from './go-builder';

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
