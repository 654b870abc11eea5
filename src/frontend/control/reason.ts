import { BadRequestException } from '@nestjs/common';
import { Check } from '../http/dto-checks';
import { REASON_MAX_LENGTH } from './change-limits';

/** What is wrong with a change's reason, or null when it will do. */
export function reasonProblem(reason: unknown): string | null {
  if (typeof reason !== 'string' || !reason.trim()) return 'a reason is required for every change ("reason": "…")';
  if (reason.length > REASON_MAX_LENGTH) return `reason: at most ${REASON_MAX_LENGTH} characters`;
  return null;
}

/**
 * Every change to the migration's state is made with a written reason, recorded with its audit
 * event: the admin API's DTOs check it on the way in (IsReason), and the services that record
 * a change check it again here, whoever calls them. Returns it trimmed.
 */
export function requireReason(reason: unknown): string {
  const problem = reasonProblem(reason);
  if (problem) throw new BadRequestException(problem);
  return (reason as string).trim();
}

/** A DTO's `reason` field: checked as requireReason checks it, with the same message. */
export const IsReason = (): PropertyDecorator => Check('isReason', (value) => reasonProblem(value));
