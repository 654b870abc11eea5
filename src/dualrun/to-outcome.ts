import type { CompileResponse } from '../playground/contract';
import { TIMEOUT_ERROR, OUTPUT_TOO_LARGE, SandboxOutOfMemory } from '../sandbox/run-result';
import { BUILD_TIMEOUT_ERROR } from '../build/go-builder';
import type { Outcome } from './outcome';

/** Puts a /compile answer (or the failure to get one) in the form the comparison reads. */
export function toOutcome(r: CompileResponse | Error): Outcome {
  // The contract's 500 for a program that exhausted its sandbox is that program's answer, not a
  // failure of the backend: it must not count against release day.
  if (r instanceof SandboxOutOfMemory) {
    return { kind: 'exhausted', errors: r.message, events: [], status: 0, isTest: false, testsFailed: 0 };
  }
  if (r instanceof Error) {
    return { kind: 'backend-error', errors: r.message, events: [], status: 0, isTest: false, testsFailed: 0 };
  }
  const kind: Outcome['kind'] = r.Errors === '' ? 'ran'
    : r.Errors === TIMEOUT_ERROR || r.Errors.startsWith(BUILD_TIMEOUT_ERROR) ? 'timeout'
      : r.Errors === OUTPUT_TOO_LARGE ? 'too-large' : 'build-error';
  return { kind, errors: r.Errors, events: r.Events ?? [], status: r.Status, isTest: r.IsTest, testsFailed: r.TestsFailed };
}
