import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { Check, Optional, OptionalParam } from '../../http/dto-checks';
import { DIFF_CLASSES, DiffClass } from '../../dualrun/diff-class';
import { DateParam, PageQuery } from './paging.dto';

function classesProblem(v: unknown): string | null {
  if (typeof v !== 'string') return `class must be a comma-separated list of ${DIFF_CLASSES.join(', ')}`;
  const bad = v.split(',').filter((c) => !DIFF_CLASSES.includes(c as DiffClass));
  return bad.length ? `unknown class ${bad.join(', ')}; classes: ${DIFF_CLASSES.join(', ')}` : null;
}

/** GET /admin/api/dual-runs: filters (class, backend on either side, time) and the page. */
export class DualRunsQuery extends PageQuery {
  @ApiPropertyOptional({ description: `comma-separated: ${DIFF_CLASSES.join(', ')}` })
  @Check('isDiffClassList', classesProblem)
  @OptionalParam()
  class?: string;

  @ApiPropertyOptional({ description: 'a backend id, primary or shadow' })
  @IsString({ message: '$property must be a string' })
  @Optional()
  backend?: string;

  @DateParam()
  from?: string;

  @DateParam()
  to?: string;
}
