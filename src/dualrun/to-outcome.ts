import type { CompileResponse } from '../playground/contract';
import { TIMEOUT_ERROR, OUTPUT_TOO_LARGE } from '../sandbox/run-result';
import type { Outcome } from './outcome';

/** Puts a /compile answer (or the failure to get one) in the form the comparison reads. */
export function toOutcome(r: CompileResponse | Error): Outcome {
  if (r instanceof Error) {
    return { kind: 'backend-error', errors: r.message, events: [], status: 0, isTest: false, testsFailed: 0 };
  }
  const kind: Outcome['kind'] = r.Errors === '' ? 'ran'
    : r.Errors === TIMEOUT_ERROR || r.Errors === 'timeout running go build' ? 'timeout'
      : r.Errors === OUTPUT_TOO_LARGE ? 'too-large' : 'build-error';
  return { kind, errors: r.Errors, events: r.Events ?? [], status: r.Status, isTest: r.IsTest, testsFailed: r.TestsFailed };
}
