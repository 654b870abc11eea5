import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Check } from '../../http/dto-checks';

/** GET /admin/api/stats: how many hours back (more than 0, at most 30 days). */
export class StatsQuery {
  @ApiPropertyOptional({ type: Number, exclusiveMinimum: true, minimum: 0, maximum: 720, default: 24 })
  @Type(() => Number)
  @Check('isHours', (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 24 * 30 ? null : 'hours must be in (0, 720]'))
  hours = 24;
}
