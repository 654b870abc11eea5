import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { Check, isDateText, OptionalParam } from '../../http/dto-checks';

/** Several decorators as one. */
function all(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((d) => d(target, key));
}

/** A list's page number, from 1. */
export const PageNumber = (): PropertyDecorator => all(
  ApiPropertyOptional({ type: Number, minimum: 1, default: 1 }),
  Type(() => Number),
  IsInt({ message: 'page must be a whole number ≥ 1' }),
  Min(1, { message: 'page must be a whole number ≥ 1' }),
);

/** A list's page size, 1..500. */
export const PageSize = (): PropertyDecorator => all(
  ApiPropertyOptional({ type: Number, minimum: 1, maximum: 500, default: 25 }),
  Type(() => Number),
  IsInt({ message: 'pageSize must be 1..500' }),
  Min(1, { message: 'pageSize must be 1..500' }),
  Max(500, { message: 'pageSize must be 1..500' }),
);

/** A list's page: `page` from 1, `pageSize` 1..500 (25 unless asked). */
export class PageQuery {
  @PageNumber()
  page = 1;

  @PageSize()
  pageSize = 25;
}

/** A query's time bound (`from`, `to`): a date and time, or left out (also when empty). */
export const DateParam = (): PropertyDecorator => all(
  ApiPropertyOptional({ type: String, format: 'date-time' }),
  OptionalParam(),
  Check('isDateParam', (v, property) => (isDateText(v) ? null : `${property} must be an ISO date`)),
);

/** The Date a DateParam holds, or undefined when it was left out. */
export function dateOf(v: string | undefined): Date | undefined {
  return v === undefined || v === '' ? undefined : new Date(v);
}
