import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, ValidateIf } from 'class-validator';
import { Optional } from '../../http/dto-checks';
import { DateParam, PageNumber, PageSize } from './paging.dto';

const Text = (): PropertyDecorator => IsString({ message: '$property must be a string' });
const Paged = (): PropertyDecorator => ValidateIf((q: AuditQuery) => q.format !== 'csv');

/**
 * GET /admin/api/audit: filters (action, actor, time), then the page, or `format=csv` for every
 * matching event (unpaged, so the page is not looked at).
 */
export class AuditQuery {
  @ApiPropertyOptional()
  @Text()
  @Optional()
  action?: string;

  @ApiPropertyOptional()
  @Text()
  @Optional()
  actor?: string;

  @DateParam()
  from?: string;

  @DateParam()
  to?: string;

  @ApiPropertyOptional({ enum: ['csv'], description: 'csv: every matching event as a spreadsheet, not paged' })
  @Text()
  @Optional()
  format?: string;

  @PageNumber()
  @Paged()
  page = 1;

  @PageSize()
  @Paged()
  pageSize = 25;
}
