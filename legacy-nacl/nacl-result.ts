import { RunResult, TIMEOUT_ERROR } from '../src/sandbox/run-result';

/** How the NaCl-era sandbox reported a program that ran out of time. */
export const NACL_TIMEOUT = 'process took too long';

/**
 * Maps the NaCl era's wording onto today's answer: "process took too long" (from the loader
 * or the old sandbox) becomes today's "timeout running program", and the output the program
 * printed before it was stopped is kept, as NaCl-era answers kept it.
 */
export function mapNaclResult(r: RunResult): RunResult {
  const said = (b: Buffer) => b.includes(NACL_TIMEOUT);
  if (r.error === TIMEOUT_ERROR || r.error === NACL_TIMEOUT || said(r.stderr)) {
    return { error: TIMEOUT_ERROR, exitCode: -1, stdout: r.stdout, stderr: stripLine(r.stderr, NACL_TIMEOUT) };
  }
  return r;
}

/** Removes the line holding `text`, byte-wise: the rest may hold binary playback headers. */
function stripLine(b: Buffer, text: string): Buffer {
  const at = b.indexOf(text);
  if (at < 0) return b;
  const start = b.lastIndexOf(0x0a, at) + 1;
  const nl = b.indexOf(0x0a, at);
  return Buffer.concat([b.subarray(0, start), b.subarray(nl < 0 ? b.length : nl + 1)]);
}
