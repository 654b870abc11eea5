import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TrafficService } from '../stats/traffic.service';
import { sqlTime } from '../db/sql-time';

/** Time series for the overview's charts: traffic, latency and errors by backend; dual-run classes. */
@Controller('admin/api/stats')
export class AdminStatsController {
  constructor(private readonly traffic: TrafficService, private readonly db: DataSource) {}

  @Get()
  async stats(@Query('hours') hoursParam?: string) {
    const hours = hoursParam === undefined ? 24 : Number(hoursParam);
    if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 30) throw new BadRequestException('hours must be in (0, 720]');
    const bucketMinutes = hours <= 2 ? 1 : hours <= 24 ? 15 : 60;
    const since = sqlTime(new Date(Date.now() - hours * 3_600_000));
    const classes: Array<{ at: string; diff_class: string; n: number }> = await this.db.query(
      `SELECT substr(at, 1, 13) AS at, diff_class, COUNT(*) AS n FROM dual_runs WHERE at >= ? GROUP BY 1, 2 ORDER BY 1`, [since]);
    return {
      hours, bucketMinutes,
      traffic: await this.traffic.series(hours, bucketMinutes),
      dualRunClasses: classes.map((c) => ({ at: `${c.at.replace(' ', 'T')}:00:00.000Z`, diffClass: c.diff_class, count: Number(c.n) })),
    };
  }
}
