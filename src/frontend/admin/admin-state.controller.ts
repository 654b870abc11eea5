import { BadRequestException, Body, Controller, Get, Patch, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ControlService, FlagChanges, publicView } from '../control/control.service';
import { BackendRegistry } from '../backends/backend-registry';
import { SandboxClient } from '../sandbox-client/sandbox-client';
import { SandboxStatus } from '../sandbox-client/sandbox-status';
import { ShadowQueue } from '../dualrun/shadow-queue';
import { ControlState } from '../control/control-state.entity';
import { reasonOf } from './admin-query';
import { stageOf } from '../control/stage';
import { PERCENT_LIMITS } from '../control/change-limits';

/** The stage a release manager is at, in words. */
function stageOfState(s: ControlState): string {
  return stageOf(publicView(s));
}

function percentToBp(v: unknown, name: string): number {
  const { min, max, step } = PERCENT_LIMITS;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new BadRequestException(`${name} must be a number from ${min} to ${max}`);
  const bp = Math.round(v * 100);
  if (Math.abs(bp - v * 100) > 1e-6) throw new BadRequestException(`${name} moves in steps of ${step}`);
  return bp;
}

@Controller('admin/api')
export class AdminStateController {
  constructor(
    private readonly control: ControlService,
    private readonly backends: BackendRegistry,
    private readonly sandbox: SandboxClient,
    private readonly sandboxStatus: SandboxStatus,
    private readonly shadows: ShadowQueue,
  ) {}

  @Get('me')
  me(@Req() req: Request) {
    return req.admin;
  }

  @Get('state')
  async state() {
    const s = this.control.state();
    return {
      stage: stageOfState(s),
      flags: publicView(s),
      backends: this.backends.all.map((b) => ({ id: b.id, label: b.label, legacy: b.legacy, emulation: b.emulation, toolchain: b.toolchainVersion(), ...b.availability() })),
      legacyRole: this.backends.legacy()?.id ?? null,
      // As last polled (every 2 s): no run is started for this.
      sandboxHosts: this.sandboxStatus.hosts.map((h) => h.view()),
      shadow: {
        queued: this.shadows.depth, running: this.shadows.inProgress, accepted: this.shadows.accepted, dropped: this.shadows.dropped, recovered: this.shadows.recovered,
        // Kept in the database: accepted shadows that could not be run, whenever that was.
        lost: await this.shadows.lostCount(),
      },
    };
  }

  @Patch('flags')
  async setFlags(@Req() req: Request, @Body() body: Record<string, unknown>) {
    const reason = reasonOf(body);
    const changes: FlagChanges = {};
    if (body.rolloutPercent !== undefined) changes.rolloutBp = percentToBp(body.rolloutPercent, 'rolloutPercent');
    if (body.shadowPercent !== undefined) changes.shadowBp = percentToBp(body.shadowPercent, 'shadowPercent');
    for (const k of ['optInHeader', 'optInComment', 'killSwitch'] as const) {
      if (body[k] === undefined) continue;
      if (typeof body[k] !== 'boolean') throw new BadRequestException(`${k} must be true or false`);
      changes[k] = body[k] as boolean;
    }
    const unknown = Object.keys(body).filter((k) => !['reason', 'rolloutPercent', 'shadowPercent', 'optInHeader', 'optInComment', 'killSwitch'].includes(k));
    if (unknown.length) throw new BadRequestException(`unknown field(s): ${unknown.join(', ')}`);
    const next = await this.control.setFlags(req.admin!.name, changes, reason);
    return { stage: stageOfState(next), flags: publicView(next) };
  }

  /** Deep health: the sandbox runs a real container for each available runner. */
  @Get('backends')
  async backendsHealth() {
    const sandbox = await this.sandbox.health();
    return {
      backends: this.backends.all.map((b) => ({ id: b.id, label: b.label, legacy: b.legacy, emulation: b.emulation, toolchain: b.toolchainVersion(), ...b.availability() })),
      legacyRole: this.backends.legacy()?.id ?? null,
      sandbox,
    };
  }
}
