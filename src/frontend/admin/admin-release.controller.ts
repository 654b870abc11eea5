import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReadinessService } from '../release/readiness.service';
import { ReleaseDayService, FLIP_CONFIRMATION } from '../release/release-day.service';
import { ControlService, publicView } from '../control/control.service';
import { Admin, AdminRoleRequired } from './admin-auth.guard';
import type { AdminIdentity } from './admin-tokens';
import { ReasonOnly, ReleaseDayFlip, ReleaseDaySchedule } from './dto/release-day.dto';

@ApiTags('release day')
@ApiBearerAuth()
@Controller('admin/api/release-day')
export class AdminReleaseController {
  constructor(private readonly readiness: ReadinessService, private readonly release: ReleaseDayService, private readonly control: ControlService) {}

  @Get()
  @ApiOperation({ summary: 'the switch, its schedule and the readiness evidence' })
  async status() {
    const s = publicView(this.control.state());
    return { releaseDay: s.releaseDay, releaseDayAt: s.releaseDayAt, scheduledFor: s.releaseScheduledFor, scheduleReason: s.releaseScheduleReason, confirmation: FLIP_CONFIRMATION, readiness: await this.readiness.compute() };
  }

  @Get('readiness')
  @ApiOperation({ summary: 'the readiness evidence, computed now' })
  readinessNow() {
    return this.readiness.compute();
  }

  @Post('flip')
  @HttpCode(200)
  @AdminRoleRequired('release-manager')
  @ApiOperation({ summary: 'switch release day on now (refused without the evidence unless overridden)' })
  flip(@Admin() who: AdminIdentity, @Body() body: ReleaseDayFlip) {
    return this.release.flip(who.name, { reason: body.reason, confirm: String(body.confirm ?? ''), override: body.override === true });
  }

  @Post('schedule')
  @HttpCode(200)
  @AdminRoleRequired('release-manager')
  @ApiOperation({ summary: 'schedule the flip' })
  async schedule(@Admin() who: AdminIdentity, @Body() body: ReleaseDaySchedule) {
    await this.release.schedule(who.name, String(body.at ?? ''), { reason: body.reason, override: body.override === true });
    return this.status();
  }

  @Delete('schedule')
  @AdminRoleRequired('release-manager')
  @ApiOperation({ summary: 'cancel the scheduled flip' })
  async cancel(@Admin() who: AdminIdentity, @Body() body: ReasonOnly) {
    await this.release.cancelSchedule(who.name, body.reason);
    return this.status();
  }

  @Post('rollback')
  @HttpCode(200)
  @AdminRoleRequired('release-manager')
  @ApiOperation({ summary: 'switch release day off again' })
  async rollback(@Admin() who: AdminIdentity, @Body() body: ReasonOnly) {
    await this.release.rollback(who.name, body.reason);
    return this.status();
  }
}
