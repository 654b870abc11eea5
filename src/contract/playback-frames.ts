/**
 * The playback framing of a program's stdout and stderr, as Go's runtime writes it when built
 * with -tags=faketime and as the sandbox passes it on untouched: records of "\0\0PB", the
 * virtual time (int64 big-endian, unix nanoseconds), the length (uint32 big-endian) and that
 * many bytes of output, with plain bytes (a crash report, a notice of the sandbox's) possibly
 * between them. The frontend decodes it into events; the legacy sandbox must look past it.
 */
const MAGIC = Buffer.from([0, 0, 0x50, 0x42]); // "\0\0PB"
const HEADER_BYTES = MAGIC.length + 8 + 4;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

export type PlaybackPiece =
  /** Bytes outside any record, [start, end). */
  | { kind: 'plain'; start: number; end: number }
  /** One record; its data is [dataStart, dataEnd), cut short where the output was cut. */
  | { kind: 'record'; time: bigint; dataStart: number; dataEnd: number }
  /** A record header cut off at `start`: nothing after it can be read. */
  | { kind: 'cut'; start: number };

/** The output's pieces in order: plain runs and records, and at most one cut header, last. */
export function* playbackPieces(b: Buffer): Generator<PlaybackPiece> {
  let i = 0;
  while (i < b.length) {
    const record = b.indexOf(MAGIC, i);
    if (record < 0) {
      yield { kind: 'plain', start: i, end: b.length };
      return;
    }
    if (record > i) yield { kind: 'plain', start: i, end: record };
    if (b.length - record < HEADER_BYTES) {
      yield { kind: 'cut', start: record };
      return;
    }
    const dataStart = record + HEADER_BYTES;
    const length = b.readUInt32BE(record + MAGIC.length + 8);
    // The sandbox cuts output at its size limit, possibly mid-record: keep what arrived.
    yield { kind: 'record', time: b.readBigInt64BE(record + MAGIC.length), dataStart, dataEnd: Math.min(dataStart + length, b.length) };
    i = dataStart + length;
  }
}

/**
 * Builds one playback record. `timeNs` is absolute unix nanoseconds (as the runtime writes it),
 * not an offset from the playback epoch.
 */
export function encodePlayback(timeNs: bigint, data: Buffer): Buffer {
  if (timeNs < INT64_MIN || timeNs > INT64_MAX) {
    throw new RangeError(`playback time ${timeNs} does not fit in a signed 64-bit integer`);
  }
  if (data.length > 0xffffffff) {
    throw new RangeError(`playback record of ${data.length} bytes exceeds the 32-bit length field`);
  }
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeBigInt64BE(timeNs, MAGIC.length);
  header.writeUInt32BE(data.length, MAGIC.length + 8);
  return Buffer.concat([header, data]);
}
