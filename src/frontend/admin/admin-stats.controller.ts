import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { TrafficService } from '../stats/traffic.service';
import { dialectOf } from '../db/dialect';
import { DualRun } from '../dualrun/dual-run.entity';
import { StatsQuery } from './dto/stats-query.dto';

/** Time series for the overview's charts: traffic, latency and errors by backend; dual-run classes. */
@ApiTags('state')
@ApiBearerAuth()
@Controller('admin/api/stats')
export class AdminStatsController {
  constructor(private readonly traffic: TrafficService, private readonly db: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'time series: traffic, latency and errors by backend; dual-run classes by hour' })
  async stats(@Query() { hours }: StatsQuery) {
    const bucketMinutes = hours <= 2 ? 1 : hours <= 24 ? 15 : 60;
    const since = new Date(Date.now() - hours * 3_600_000);
    // The hour as 'YYYY-MM-DD HH' (UTC): SQLite stores times as such text, PostgreSQL as timestamps.
    const hour = dialectOf(this.db) === 'postgres' ? `to_char(d.at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')` : 'substr(d.at, 1, 13)';
    const classes: Array<{ at: string; diff_class: string; n: number | string }> = await this.db.getRepository(DualRun).createQueryBuilder('d')
      .select(hour, 'at').addSelect('d.diffClass', 'diff_class').addSelect('COUNT(*)', 'n')
      .where('d.at >= :since', { since }).groupBy('1').addGroupBy('2').orderBy('1').getRawMany();
    return {
      hours, bucketMinutes,
      traffic: await this.traffic.series(hours, bucketMinutes),
      dualRunClasses: classes.map((c) => ({ at: `${c.at.replace(' ', 'T')}:00:00.000Z`, diffClass: c.diff_class, count: Number(c.n) })),
    };
  }
}
