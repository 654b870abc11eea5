import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString } from 'class-validator';
import { Optional } from '../../http/dto-checks';
import { IsReason } from '../../control/reason';

/**
 * POST /admin/api/rules and PUT /admin/api/rules/:name: the fields given, typed. What makes a
 * rule valid (its name, a description, a pattern that compiles) is the rules service's to
 * decide, since an edit is checked merged with the stored rule.
 */
export class RuleChange {
  @ApiProperty({ description: 'why, for the audit log (at most 2000 characters)' })
  @IsReason()
  reason!: string;

  @ApiPropertyOptional({ description: '1-64 characters of a-z, 0-9 and "-" (when creating; a rule is never renamed)' })
  @IsString({ message: '$property must be a string' })
  @Optional()
  name?: string;

  @ApiPropertyOptional()
  @IsString({ message: '$property must be a string' })
  @Optional()
  description?: string;

  @ApiPropertyOptional({ description: 'a JavaScript regular expression, applied to both sides of a dual run' })
  @IsString({ message: '$property must be a string' })
  @Optional()
  pattern?: string;

  @ApiPropertyOptional({ description: 'regular expression flags (default "g")' })
  @IsString({ message: '$property must be a string' })
  @Optional()
  flags?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsBoolean({ message: '$property must be true or false' })
  @Optional()
  enabled?: boolean;
}
