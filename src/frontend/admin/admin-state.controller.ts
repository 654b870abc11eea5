import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ControlService, FlagChanges, publicView } from '../control/control.service';
import { BackendRegistry } from '../backends/backend-registry';
import { SandboxClient } from '../sandbox-client/sandbox-client';
import { SandboxStatus } from '../sandbox-client/sandbox-status';
import { ShadowQueue } from '../dualrun/shadow-queue';
import { ControlState } from '../control/control-state.entity';
import { Admin, AdminRoleRequired } from './admin-auth.guard';
import type { AdminIdentity } from './admin-tokens';
import { FlagsChange, toBasisPoints } from './dto/flags-change.dto';
import { stageOf } from '../control/stage';

/** The stage a release manager is at, in words. */
function stageOfState(s: ControlState): string {
  return stageOf(publicView(s));
}

@ApiTags('state')
@ApiBearerAuth()
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
  @ApiOperation({ summary: 'who is signed in, with which role' })
  me(@Admin() who: AdminIdentity) {
    return who;
  }

  @Get('state')
  @ApiOperation({ summary: 'the stage, the flags, the backends, the sandbox hosts and the shadow queue' })
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
  @AdminRoleRequired('release-manager')
  @ApiOperation({ summary: 'change any of the flags (audited)' })
  async setFlags(@Admin() who: AdminIdentity, @Body() body: FlagsChange) {
    const changes: FlagChanges = {};
    if (body.rolloutPercent !== undefined) changes.rolloutBp = toBasisPoints(body.rolloutPercent);
    if (body.shadowPercent !== undefined) changes.shadowBp = toBasisPoints(body.shadowPercent);
    for (const k of ['optInHeader', 'optInComment', 'killSwitch'] as const) if (body[k] !== undefined) changes[k] = body[k];
    const next = await this.control.setFlags(who.name, changes, body.reason);
    return { stage: stageOfState(next), flags: publicView(next) };
  }

  /** Deep health: the sandbox runs a real container for each available runner. */
  @Get('backends')
  @ApiOperation({ summary: 'deep health: each sandbox host runs a real program in each pool' })
  async backendsHealth() {
    const sandbox = await this.sandbox.health();
    return {
      backends: this.backends.all.map((b) => ({ id: b.id, label: b.label, legacy: b.legacy, emulation: b.emulation, toolchain: b.toolchainVersion(), ...b.availability() })),
      legacyRole: this.backends.legacy()?.id ?? null,
      sandbox,
    };
  }
}
