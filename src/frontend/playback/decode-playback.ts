import { isUtf8 } from 'node:buffer';
import type { PlaybackEvent, StreamKind } from '../playground/contract';
import { PLAYBACK_EPOCH_NS } from './epoch';
import { playbackPieces } from '../../contract/playback-frames';

/** The sandbox output could not be decoded at all (the playground answers 500, not 200). */
export class PlaybackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlaybackError';
  }
}

const REPLACEMENT = '\uFFFD';

interface Chunk {
  time: bigint;
  parts: Buffer[];
  kind: StreamKind;
}

function decodeStream(kind: StreamKind, output: Buffer): Chunk[] {
  const chunks: Chunk[] = [];
  let last = PLAYBACK_EPOCH_NS;
  const add = (time: bigint, data: Buffer): void => {
    const prev = chunks[chunks.length - 1];
    // Merging keeps a chatty program from producing one event per write when no virtual
    // time passes between the writes.
    if (prev !== undefined && prev.time === time) {
      prev.parts.push(data);
    } else {
      chunks.push({ time, parts: [data], kind });
    }
    last = time;
  };
  for (const piece of playbackPieces(output)) {
    if (piece.kind === 'cut') throw new PlaybackError('short header');
    if (piece.kind === 'plain') add(last, output.subarray(piece.start, piece.end));
    // A corrupt or reordered header must not make playback run backwards.
    else add(piece.time < last ? last : piece.time, output.subarray(piece.dataStart, piece.dataEnd));
  }
  return chunks;
}

/** Stderr wins ties so that a panic message is not shown after output stamped at the same time. */
function mergeByTime(stdout: Chunk[], stderr: Chunk[]): Chunk[] {
  const merged: Chunk[] = [];
  let a = 0;
  let b = 0;
  while (a < stdout.length && b < stderr.length) {
    if (stdout[a].time < stderr[b].time) merged.push(stdout[a++]);
    else merged.push(stderr[b++]);
  }
  while (a < stdout.length) merged.push(stdout[a++]);
  while (b < stderr.length) merged.push(stderr[b++]);
  return merged;
}

/**
 * Replaces each byte that does not start a valid UTF-8 sequence with U+FFFD, one per byte,
 * as Go's utf8.DecodeRune does. Node's own decoder folds a truncated sequence into a single
 * U+FFFD, which would make our messages differ from play.golang.org's for the same bytes.
 */
export function sanitizeUtf8(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let out = '';
  let runStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const size = validSequenceLength(bytes, i);
    if (size > 0) {
      i += size;
      continue;
    }
    out += bytes.toString('utf8', runStart, i) + REPLACEMENT;
    i += 1;
    runStart = i;
  }
  return out + bytes.toString('utf8', runStart, i);
}

/** Length of the well-formed UTF-8 sequence at `at`, or 0 when there is none. */
function validSequenceLength(b: Buffer, at: number): number {
  const b0 = b[at];
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean =>
    at + k < b.length && b[at + k] >= lo && b[at + k] <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    // E0 excludes overlong forms; ED excludes UTF-16 surrogates.
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    // F0 excludes overlong forms; F4 stops at U+10FFFF.
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * Turns the sandbox's raw stdout and stderr (faketime playback records mixed with plain text)
 * into the events play.golang.org returns. Delay is a JS number of nanoseconds: exact up to
 * about 104 days of virtual time between events, which is far beyond any realistic program.
 */
export function decodePlayback(stdout: Buffer, stderr: Buffer): PlaybackEvent[] {
  const chunks = mergeByTime(decodeStream('stdout', stdout), decodeStream('stderr', stderr));
  const events: PlaybackEvent[] = [];
  let now = PLAYBACK_EPOCH_NS;
  for (const chunk of chunks) {
    let delay = chunk.time - now;
    if (delay < 0n) delay = 0n;
    // Sanitising the joined bytes lets a character split across two writes survive.
    events.push({ Message: sanitizeUtf8(Buffer.concat(chunk.parts)), Kind: chunk.kind, Delay: Number(delay) });
    if (delay > 0n) now = chunk.time;
  }
  return events;
}
