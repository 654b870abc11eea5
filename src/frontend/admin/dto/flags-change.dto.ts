import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { Check, Optional } from '../../http/dto-checks';
import { RejectUnknownFields } from '../../http/dto-validation.pipe';
import { IsReason } from '../../control/reason';
import { PERCENT_LIMITS } from '../../control/change-limits';

/** What is wrong with a percentage of traffic (PERCENT_LIMITS, the admin UI's too), or null. */
export function percentProblem(v: unknown, name: string): string | null {
  const { min, max, step } = PERCENT_LIMITS;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) return `${name} must be a number from ${min} to ${max}`;
  if (Math.abs(Math.round(v / step) - v / step) > 1e-6) return `${name} moves in steps of ${step}`;
  return null;
}

/** A percentage as the basis points the state keeps (12.34 % is 1234). */
export const toBasisPoints = (percent: number): number => Math.round(percent * 100);

const Percent = (): PropertyDecorator => Check('isPercent', percentProblem);
const Flag = (): PropertyDecorator => IsBoolean({ message: '$property must be true or false' });

/**
 * PATCH /admin/api/flags: any of the flags, with a reason. A misspelt flag is refused rather
 * than ignored, since the change would otherwise do nothing and still be audited.
 */
@RejectUnknownFields()
export class FlagsChange {
  @ApiProperty({ description: 'why, for the audit log (at most 2000 characters)' })
  @IsReason()
  reason!: string;

  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 100, multipleOf: 0.01, description: '% of programs on linux-amd64' })
  @Percent()
  @Optional()
  rolloutPercent?: number;

  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 100, multipleOf: 0.01, description: '% of requests also run on the other backend (dual run)' })
  @Percent()
  @Optional()
  shadowPercent?: number;

  @ApiPropertyOptional({ type: Boolean, description: 'honour the X-Playground-Backend header' })
  @Flag()
  @Optional()
  optInHeader?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'honour the //play:gvisor comment' })
  @Flag()
  @Optional()
  optInComment?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'everyone back to legacy' })
  @Flag()
  @Optional()
  killSwitch?: boolean;
}
