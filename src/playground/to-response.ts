import { decodePlayback, PlaybackError } from '../playback/decode-playback';
import { RunResult, TIMEOUT_ERROR } from '../sandbox/run-result';
import { CompileResponse } from './contract';

const FAILED_TEST = '--- FAIL';

export function errorResponse(errors: string): CompileResponse {
  return { Errors: errors, Events: null, Status: 0, IsTest: false, TestsFailed: 0 };
}

/** Turns a finished run into the contract's /compile answer. */
export function toResponse(run: RunResult, isTest: boolean, vet: { vetErrors?: string; vetOk?: boolean }, timeoutKeepsOutput = false): CompileResponse {
  const vetFields = { ...(vet.vetErrors ? { VetErrors: vet.vetErrors } : {}), ...(vet.vetOk ? { VetOK: true } : {}) };
  // timeout running program, Output too large: the answer is the error alone, as on
  // play.golang.org, except that NaCl-era timeouts kept what the program had printed.
  if (run.error && !(timeoutKeepsOutput && run.error === TIMEOUT_ERROR)) {
    return { ...errorResponse(run.error), ...vetFields };
  }
  let events;
  try {
    events = decodePlayback(run.stdout, run.stderr);
  } catch (e) {
    if (!(e instanceof PlaybackError)) throw e;
    return { ...errorResponse(`error decoding program output: ${e.message}`), ...vetFields };
  }
  const testsFailed = isTest ? events.reduce((n, e) => n + e.Message.split(FAILED_TEST).length - 1, 0) : 0;
  return { Errors: run.error ?? '', Events: events, Status: run.error ? 0 : run.exitCode, IsTest: isTest, TestsFailed: testsFailed, ...vetFields };
}
