import { mapNaclResult, NACL_TIMEOUT } from './nacl-result';
import { OUTPUT_TOO_LARGE, RunResult, TIMEOUT_ERROR, TIMEOUT_NOTICE } from '../../src/contract/run-result';

const NOTICE = Buffer.from(TIMEOUT_NOTICE);

const EPOCH_NS = 1257894000000000000n;

/** A faketime playback frame: 00 00 'P' 'B', 8-byte BE unix-ns time, 4-byte BE length, data. */
function pb(timeNs: bigint, data: string | Buffer): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  const h = Buffer.alloc(16);
  h.writeUInt16BE(0, 0);
  h.write('PB', 2, 'latin1');
  h.writeBigUInt64BE(timeNs, 4);
  h.writeUInt32BE(body.length, 12);
  return Buffer.concat([h, body]);
}

const text = (s: string): Buffer => Buffer.from(s);
const result = (r: Partial<RunResult>): RunResult => ({ exitCode: 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), ...r });

// A time whose lowest byte is 0x0a: a newline byte inside a binary header.
const T_NEWLINE = ((EPOCH_NS + 1_000_000_000n) & ~0xffn) | 0x0an;

describe('mapNaclResult', () => {
  it('turns the NaCl-era "process took too long" into today\'s timeout: the partial stdout, the notice ending stderr, status 1', () => {
    const stdout = Buffer.concat([pb(EPOCH_NS, 'tick 1\n'), pb(EPOCH_NS + 1_000_000_000n, 'tick 2\n')]);
    const r = mapNaclResult(result({ error: NACL_TIMEOUT, exitCode: 0, stdout }));
    expect(r.error).toBeUndefined();
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.equals(stdout)).toBe(true);
    expect(r.stderr.equals(NOTICE)).toBe(true);
  });

  it('treats the notice in stderr as a timeout and removes only its line; the playback frames stay byte-for-byte', () => {
    const frameA = pb(EPOCH_NS, 'working\n');
    const frameB = pb(T_NEWLINE, 'partial: 0123456789'); // no newline: the program was stopped mid-line
    const frameC = pb(T_NEWLINE, Buffer.from([0x00, 0x0a, 0xff, 0x0a])); // data of 4 bytes with newlines in it
    expect(frameB.subarray(0, 16).includes(0x0a)).toBe(true); // the header itself holds a newline byte
    const stdout = pb(EPOCH_NS, 'out so far\n');
    const stderr = Buffer.concat([frameA, frameC, frameB, text(`${NACL_TIMEOUT}\n`)]);
    const r = mapNaclResult(result({ exitCode: 0, stdout, stderr }));
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.equals(stdout)).toBe(true);
    expect(r.stderr.equals(Buffer.concat([frameA, frameC, frameB, NOTICE]))).toBe(true);
  });

  it('keeps the frames written since the last newline in front of the notice', () => {
    const working = pb(EPOCH_NS, 'working\n');
    const partial = pb(EPOCH_NS + 1_000_000_000n, 'partial'); // stopped mid-line: no newline
    const r = mapNaclResult(result({ stderr: Buffer.concat([working, partial, text(`${NACL_TIMEOUT}\n`)]) }));
    expect(r.timedOut).toBe(true);
    expect(r.stderr.equals(Buffer.concat([working, partial, NOTICE]))).toBe(true);
  });

  it('keeps plain lines and frames after the notice, and plain lines before it', () => {
    const before = pb(EPOCH_NS, 'early\n');
    const after = pb(EPOCH_NS + 5n, 'late\n');
    const stderr = Buffer.concat([before, text('loader says hello\n'), text(`${NACL_TIMEOUT}\n`), after]);
    const r = mapNaclResult(result({ stderr }));
    expect(r.timedOut).toBe(true);
    expect(r.stderr.equals(Buffer.concat([before, text('loader says hello\n'), after, NOTICE]))).toBe(true);
  });

  it('removes a notice without a trailing newline at the very end', () => {
    const frame = pb(T_NEWLINE, 'half a li');
    const r = mapNaclResult(result({ stderr: Buffer.concat([frame, text(NACL_TIMEOUT)]) }));
    expect(r.timedOut).toBe(true);
    expect(r.stderr.equals(Buffer.concat([frame, NOTICE]))).toBe(true);
  });

  it('leaves a program alone that printed the same words itself (inside its playback frame)', () => {
    const stderr = Buffer.concat([pb(EPOCH_NS, `${NACL_TIMEOUT}\n`), pb(EPOCH_NS + 1n, 'bye\n')]);
    const r0 = result({ exitCode: 3, stderr });
    const r = mapNaclResult(r0);
    expect(r).toBe(r0);
    expect(r.error).toBeUndefined();
    expect(r.exitCode).toBe(3);
  });

  it('passes today\'s timeouts through: the supervisor\'s already has the notice, the sandbox\'s own overrun is an error', () => {
    const stopped = result({ exitCode: 1, stdout: pb(EPOCH_NS, 'partial\n'), stderr: NOTICE, timedOut: true });
    expect(mapNaclResult(stopped)).toBe(stopped);
    const overran = result({ error: TIMEOUT_ERROR, exitCode: -1 });
    expect(mapNaclResult(overran)).toBe(overran);
  });

  it('passes other answers through unchanged', () => {
    const ok = result({ exitCode: 0, stdout: pb(EPOCH_NS, 'hello\n') });
    expect(mapNaclResult(ok)).toBe(ok);
    const tooLarge = result({ error: OUTPUT_TOO_LARGE, exitCode: -1 });
    expect(mapNaclResult(tooLarge)).toBe(tooLarge);
    const failed = result({ exitCode: 2, stderr: text('panic: boom\n') });
    expect(mapNaclResult(failed)).toBe(failed);
  });

  it('counts the words as program output when they sit in a frame whose length runs past the end', () => {
    // The declared length (100) is more than is there, as when the sandbox cut a stream short.
    const frame = pb(EPOCH_NS, `x ${NACL_TIMEOUT}\n`);
    frame.writeUInt32BE(100, 12);
    const r0 = result({ exitCode: 1, stderr: frame });
    expect(mapNaclResult(r0)).toBe(r0);
  });
});
