import type { CompileResponse } from '../playground/contract';
import { TIMEOUT_ERROR, OUTPUT_TOO_LARGE } from '../../contract/run-result';
import { BUILD_TIMEOUT_ERROR } from '../builder/go-builder';
import { KILLED_STATUS, stoppedAtTimeLimit } from '../playground/to-response';
import type { Outcome } from './outcome';

/** Puts a /compile answer (or the failure to get one) in the form the comparison reads. */
export function toOutcome(r: CompileResponse | Error): Outcome {
  if (r instanceof Error) {
    return { kind: 'backend-error', errors: r.message, events: [], status: 0, isTest: false, testsFailed: 0 };
  }
  const events = r.Events ?? [];
  const kind: Outcome['kind'] = r.Errors !== ''
    ? r.Errors === TIMEOUT_ERROR || r.Errors.startsWith(BUILD_TIMEOUT_ERROR) ? 'timeout'
      : r.Errors === OUTPUT_TOO_LARGE ? 'too-large' : 'build-error'
    // A program stopped at its time limit answers like any other run, its stderr ending with
    // the notice; one that took its sandbox down (memory) answers the kill's status and
    // nothing else. Both are ways of giving up, the program's own doing, never the backend's
    // (a program that prints the notice itself, or exits 137 silently, is taken at its word).
    : stoppedAtTimeLimit(r) ? 'timeout'
      : r.Status === KILLED_STATUS && events.length === 0 ? 'exhausted' : 'ran';
  return { kind, errors: r.Errors, events, status: r.Status, isTest: r.IsTest, testsFailed: r.TestsFailed };
}
