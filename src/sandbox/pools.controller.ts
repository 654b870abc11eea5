import { BadRequestException, Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { RunService } from './run.service';
import type { StatusReport } from '../contract/sandbox-status';

/**
 * Cheap status for the frontend's availability checks (no container is started), and the
 * release-day drain of the legacy pools. Both need the frontend credential.
 */
@Controller()
export class PoolsController {
  constructor(private readonly runs: RunService) {}

  @Get('status')
  status(): StatusReport {
    return {
      runners: this.runs.runners.map((r) => {
        const reason = r.unavailableReason() ?? r.poolError;
        return { id: r.id, accepts: r.accepts, legacy: r.legacy, available: reason === null, ...(reason ? { reason } : {}), poolReady: r.poolReady };
      }),
      queued: this.runs.queued,
      ...this.runs.load,
      draining: this.runs.draining,
      maxBinaryBytes: this.runs.maxBinaryBytes,
    };
  }

  @Post('pools/legacy')
  @HttpCode(200)
  drainLegacy(@Body() body: { drained?: unknown }) {
    if (typeof body?.drained !== 'boolean') throw new BadRequestException('send {"drained": true|false}');
    for (const r of this.runs.runners.filter((x) => x.legacy)) r.resize(body.drained ? 0 : r.configuredPoolSize);
    return { drained: body.drained, pools: this.runs.runners.filter((x) => x.legacy).map((r) => r.id) };
  }
}
