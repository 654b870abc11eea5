import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { IsReason } from '../../control/reason';

/** A change whose only field is its reason (cancelling a schedule, rolling back). */
export class ReasonOnly {
  @ApiProperty({ description: 'why, for the audit log (at most 2000 characters)' })
  @IsReason()
  reason!: string;
}

/**
 * POST /admin/api/release-day/flip. The confirmation is compared by the service (it names the
 * phrase); only `override: true` overrides missing evidence.
 */
export class ReleaseDayFlip extends ReasonOnly {
  @ApiProperty({ type: String, description: 'the phrase "release day", typed' })
  @Allow()
  confirm?: unknown;

  @ApiPropertyOptional({ type: Boolean, description: 'flip without the evidence (say why in the reason)' })
  @Allow()
  override?: unknown;
}

/** POST /admin/api/release-day/schedule: when the flip is to happen (read, and checked to be ahead, by the service). */
export class ReleaseDaySchedule extends ReasonOnly {
  @ApiProperty({ type: String, format: 'date-time' })
  @Allow()
  at?: unknown;

  @ApiPropertyOptional({ type: Boolean, description: 'schedule without the evidence (say why in the reason)' })
  @Allow()
  override?: unknown;
}
