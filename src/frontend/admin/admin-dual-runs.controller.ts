import { Controller, Get, NotFoundException, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { DualRun } from '../dualrun/dual-run.entity';
import { DualRunService } from '../dualrun/dual-run.service';
import { AdminRoleRequired } from './admin-auth.guard';
import { DualRunsQuery } from './dto/dual-runs-query.dto';
import { dateOf } from './dto/paging.dto';

@ApiTags('dual runs')
@ApiBearerAuth()
@Controller('admin/api/dual-runs')
export class AdminDualRunsController {
  constructor(private readonly db: DataSource, private readonly dualRuns: DualRunService) {}

  /** Filter by class, backend (either side) and time; newest first; paged. */
  @Get()
  @ApiOperation({ summary: 'the dual runs, newest first, paged' })
  async list(@Query() q: DualRunsQuery) {
    const { page, pageSize } = q;
    const qb = this.db.getRepository(DualRun).createQueryBuilder('d')
      .select(['d.id', 'd.at', 'd.programKind', 'd.routeReason', 'd.primaryBackend', 'd.shadowBackend', 'd.diffClass', 'd.matchedRules', 'd.primaryMs', 'd.shadowMs', 'd.programHash', 'd.clientKey']);
    if (q.class) qb.andWhere('d.diffClass IN (:...classes)', { classes: q.class.split(',') });
    if (q.backend) qb.andWhere('(d.primaryBackend = :b OR d.shadowBackend = :b)', { b: q.backend });
    const from = dateOf(q.from);
    const to = dateOf(q.to);
    if (from) qb.andWhere('d.at >= :from', { from });
    if (to) qb.andWhere('d.at <= :to', { to });
    const [rows, total] = await qb.orderBy('d.id', 'DESC').skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { total, page, pageSize, items: rows.map((r) => ({ ...r, matchedRules: JSON.parse(r.matchedRules) as string[] })) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'one dual run with both sides and their diff' })
  async one(@Param('id', ParseIntPipe) id: number) {
    const d = await this.db.getRepository(DualRun).findOneBy({ id });
    if (!d) throw new NotFoundException(`no dual run #${id}`);
    return this.dualRuns.present(d);
  }

  /** Runs the program again on both backends, now, and answers with the fresh comparison. */
  @Post(':id/replay')
  @AdminRoleRequired('release-manager')
  @ApiOperation({ summary: 'run the program again on both backends and compare' })
  replay(@Param('id', ParseIntPipe) id: number) {
    return this.dualRuns.replay(id);
  }
}
