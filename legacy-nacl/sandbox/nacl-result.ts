import { RunResult, TIMEOUT_NOTICE, TIMEOUT_STATUS } from '../../src/contract/run-result';
import { playbackPieces } from '../../src/contract/playback-frames';

/** How the NaCl-era sandbox reported a program that ran out of time. */
export const NACL_TIMEOUT = 'process took too long';

/**
 * Maps the NaCl era's wording onto today's answer: "process took too long" (from the loader
 * or the old sandbox) becomes today's timeout, which is the Go playground's too: the output the
 * program printed before it was stopped, stderr ending with "timeout running program", status 1.
 *
 * In stderr only a notice outside the program's playback frames counts: the same words
 * written by the program itself are its output, not a timeout.
 */
export function mapNaclResult(r: RunResult): RunResult {
  const notice = findNotice(r.stderr, NACL_TIMEOUT);
  if (r.error === NACL_TIMEOUT || notice) {
    const stderr = notice ? Buffer.concat([r.stderr.subarray(0, notice.start), r.stderr.subarray(notice.end)]) : r.stderr;
    return { exitCode: TIMEOUT_STATUS, stdout: r.stdout, stderr: Buffer.concat([stderr, Buffer.from(TIMEOUT_NOTICE)]), timedOut: true };
  }
  return r;
}

/**
 * The line holding `text` in the bytes outside playback frames, as [start, end): from the
 * line's start (never before the end of the frame in front of it) through its newline (never
 * into the frame after it). The frames themselves stay byte-for-byte as they were.
 */
function findNotice(b: Buffer, text: string): { start: number; end: number } | null {
  for (const [from, to] of unframedRanges(b)) {
    const at = b.subarray(from, to).indexOf(text);
    if (at < 0) continue;
    const pos = from + at;
    const start = Math.max(from, b.lastIndexOf(0x0a, pos) + 1);
    const nl = b.indexOf(0x0a, pos + text.length);
    const end = nl >= 0 && nl < to ? nl + 1 : to;
    return { start, end };
  }
  return null;
}

/** [from, to) ranges of plain bytes, between playback records (header + data). */
function unframedRanges(b: Buffer): Array<[number, number]> {
  return [...playbackPieces(b)].flatMap((p): Array<[number, number]> => (p.kind === 'plain' ? [[p.start, p.end]] : []));
}
