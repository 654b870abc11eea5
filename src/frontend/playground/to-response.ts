import { decodePlayback, PlaybackError } from '../playback/decode-playback';
import { RunResult, TIMEOUT_NOTICE } from '../../contract/run-result';
import { CompileResponse } from './contract';

const FAILED_TEST = '--- FAIL';

/** The status of a program its container's memory limit killed (SIGKILL), as Docker reports it. */
export const KILLED_STATUS = 128 + 9;

/** An answer that is an error alone: build errors, "Output too large", … (no vet fields, as on play.golang.org). */
export function errorResponse(errors: string): CompileResponse {
  return { Errors: errors, Events: null, Status: 0, IsTest: false, TestsFailed: 0 };
}

/**
 * Whether an answer is that of a program stopped at its time limit: its stderr ends with the
 * notice. (Not necessarily the last event: the notice is at stderr's last virtual time, and
 * stdout may have gone on later, as on play.golang.org.)
 */
export function stoppedAtTimeLimit(r: CompileResponse): boolean {
  const lastStderr = r.Events?.filter((e) => e.Kind === 'stderr').pop();
  return r.Errors === '' && lastStderr !== undefined && lastStderr.Message.endsWith(TIMEOUT_NOTICE);
}

/** Turns a finished run into the contract's /compile answer. */
export function toResponse(run: RunResult, isTest: boolean, vet: { vetErrors?: string; vetOk?: boolean }): CompileResponse {
  // The sandbox overran, the output was too large, the binary did not fit: the error alone.
  if (run.error) return errorResponse(run.error);
  let events;
  try {
    events = decodePlayback(run.stdout, run.stderr);
  } catch (e) {
    if (!(e instanceof PlaybackError)) throw e;
    // play.golang.org answers 500 here; the program wrote the bad header itself, and a
    // program's doing is an answer here, never a server error.
    return errorResponse(`error decoding program output: ${e.message}`);
  }
  const testsFailed = isTest ? events.reduce((n, e) => n + e.Message.split(FAILED_TEST).length - 1, 0) : 0;
  return {
    Errors: '',
    // null, not [], for a program that printed nothing, as play.golang.org sends it.
    Events: events.length > 0 ? events : null,
    Status: run.exitCode,
    IsTest: isTest,
    TestsFailed: testsFailed,
    ...(vet.vetErrors ? { VetErrors: vet.vetErrors } : {}),
    ...(vet.vetOk ? { VetOK: true } : {}),
  };
}
