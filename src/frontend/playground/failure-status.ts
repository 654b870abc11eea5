import { HttpException } from '@nestjs/common';
import { BadProgramError } from '../builder/bad-program.error';
import { BuildQueueFull } from '../builder/build-queue-full.error';
import { SandboxFailure } from '../../contract/run-result';

/**
 * The HTTP status for a failed /compile, or 0 to let it through as an unexpected error. A user's
 * mistake is a 4xx; the sandbox or the build queue being unavailable is a retryable 503. A
 * program that took its sandbox down (memory) is an answer with its status, not a failure.
 */
export function failureStatus(e: unknown): number {
  if (e instanceof HttpException) return e.getStatus();
  if (e instanceof BadProgramError) return 400;
  if (e instanceof BuildQueueFull) return 503;
  if (e instanceof SandboxFailure) return 503;
  return 0;
}
