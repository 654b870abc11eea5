import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditService } from '../control/audit.service';
import { AuditQuery } from './dto/audit-query.dto';
import { dateOf } from './dto/paging.dto';

const csvCell = (v: unknown): string => {
  const s = v instanceof Date ? v.toISOString() : String(v ?? '');
  // Quote always; neutralise formulas so a reason cannot run in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
};

@ApiTags('audit')
@ApiBearerAuth()
@Controller('admin/api/audit')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

  /** Filterable by action, actor and time; `format=csv` exports every matching event. */
  @Get()
  @ApiOperation({ summary: 'the audit events, newest first, paged (or every match as CSV)' })
  async list(@Query() q: AuditQuery, @Res() res: Response): Promise<void> {
    const filters = { action: q.action || undefined, actor: q.actor || undefined, from: dateOf(q.from), to: dateOf(q.to) };
    if (q.format === 'csv') {
      const { items } = await this.audit.list({ ...filters, page: 1, pageSize: 1_000_000 });
      const lines = [['id', 'at', 'actor', 'action', 'reason', 'before', 'after'].join(',')];
      for (const e of items) lines.push([e.id, e.at, e.actor, e.action, e.reason, e.before, e.after].map(csvCell).join(','));
      res.type('text/csv; charset=utf-8').set('Content-Disposition', 'attachment; filename="audit.csv"').send(lines.join('\r\n') + '\r\n');
      return;
    }
    const { page, pageSize } = q;
    const { total, items } = await this.audit.list({ ...filters, page, pageSize });
    res.json({ total, page, pageSize, items: items.map((e) => ({ ...e, before: JSON.parse(e.before), after: JSON.parse(e.after) })) });
  }
}
