import { Body, Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ReadinessService } from '../release/readiness.service';
import { ReleaseDayService, FLIP_CONFIRMATION } from '../release/release-day.service';
import { ControlService, publicView } from '../control/control.service';
import { reasonOf } from './admin-query';

@Controller('admin/api/release-day')
export class AdminReleaseController {
  constructor(private readonly readiness: ReadinessService, private readonly release: ReleaseDayService, private readonly control: ControlService) {}

  @Get()
  async status() {
    const s = publicView(this.control.state());
    return { releaseDay: s.releaseDay, releaseDayAt: s.releaseDayAt, scheduledFor: s.releaseScheduledFor, scheduleReason: s.releaseScheduleReason, confirmation: FLIP_CONFIRMATION, readiness: await this.readiness.compute() };
  }

  @Get('readiness')
  readinessNow() {
    return this.readiness.compute();
  }

  @Post('flip')
  @HttpCode(200)
  flip(@Req() req: Request, @Body() body: { confirm?: string; override?: boolean }) {
    return this.release.flip(req.admin!.name, { reason: reasonOf(body), confirm: String(body?.confirm ?? ''), override: body?.override === true });
  }

  @Post('schedule')
  @HttpCode(200)
  async schedule(@Req() req: Request, @Body() body: { at?: string; override?: boolean }) {
    await this.release.schedule(req.admin!.name, String(body?.at ?? ''), { reason: reasonOf(body), override: body?.override === true });
    return this.status();
  }

  @Delete('schedule')
  async cancel(@Req() req: Request, @Body() body: unknown) {
    await this.release.cancelSchedule(req.admin!.name, reasonOf(body));
    return this.status();
  }

  @Post('rollback')
  @HttpCode(200)
  async rollback(@Req() req: Request, @Body() body: unknown) {
    await this.release.rollback(req.admin!.name, reasonOf(body));
    return this.status();
  }
}
