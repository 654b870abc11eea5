import { BadRequestException, Controller, Get, NotFoundException, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DualRun } from '../dualrun/dual-run.entity';
import { DualRunService } from '../dualrun/dual-run.service';
import { DIFF_CLASSES, DiffClass } from '../dualrun/diff-class';
import { dateParam, pageParams } from './admin-query';

@Controller('admin/api/dual-runs')
export class AdminDualRunsController {
  constructor(private readonly db: DataSource, private readonly dualRuns: DualRunService) {}

  /** Filter by class, backend (either side) and time; newest first; paged. */
  @Get()
  async list(@Query() q: Record<string, string>) {
    const { page, pageSize } = pageParams(q);
    const qb = this.db.getRepository(DualRun).createQueryBuilder('d')
      .select(['d.id', 'd.at', 'd.programKind', 'd.routeReason', 'd.primaryBackend', 'd.shadowBackend', 'd.diffClass', 'd.matchedRules', 'd.primaryMs', 'd.shadowMs', 'd.programHash', 'd.clientKey']);
    if (q.class) {
      const classes = q.class.split(',');
      const bad = classes.filter((c) => !DIFF_CLASSES.includes(c as DiffClass));
      if (bad.length) throw new BadRequestException(`unknown class ${bad.join(', ')}; classes: ${DIFF_CLASSES.join(', ')}`);
      qb.andWhere('d.diffClass IN (:...classes)', { classes });
    }
    if (q.backend) qb.andWhere('(d.primaryBackend = :b OR d.shadowBackend = :b)', { b: q.backend });
    const from = dateParam(q.from, 'from');
    const to = dateParam(q.to, 'to');
    if (from) qb.andWhere('d.at >= :from', { from });
    if (to) qb.andWhere('d.at <= :to', { to });
    const [rows, total] = await qb.orderBy('d.id', 'DESC').skip((page - 1) * pageSize).take(pageSize).getManyAndCount();
    return { total, page, pageSize, items: rows.map((r) => ({ ...r, matchedRules: JSON.parse(r.matchedRules) as string[] })) };
  }

  @Get(':id')
  async one(@Param('id', ParseIntPipe) id: number) {
    const d = await this.db.getRepository(DualRun).findOneBy({ id });
    if (!d) throw new NotFoundException(`no dual run #${id}`);
    return this.dualRuns.present(d);
  }

  /** Runs the program again on both backends, now, and answers with the fresh comparison. */
  @Post(':id/replay')
  replay(@Param('id', ParseIntPipe) id: number) {
    return this.dualRuns.replay(id);
  }
}
