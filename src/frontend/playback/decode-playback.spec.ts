import { decodePlayback, PlaybackError, sanitizeUtf8 } from './decode-playback';
import { encodePlayback } from '../../contract/playback-frames';
import { PLAYBACK_EPOCH_NS } from './epoch';

const SECOND = 1_000_000_000n;
const pb = (offsetNs: bigint, text: string | Buffer): Buffer =>
  encodePlayback(PLAYBACK_EPOCH_NS + offsetNs, typeof text === 'string' ? Buffer.from(text) : text);
const txt = (s: string): Buffer => Buffer.from(s);
const cat = (...parts: Buffer[]): Buffer => Buffer.concat(parts);

describe('encodePlayback', () => {
  it('lays out magic, big-endian time and big-endian length before the data', () => {
    const rec = encodePlayback(0x0102030405060708n, txt('hi'));
    expect([...rec]).toEqual([0, 0, 0x50, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 2, 0x68, 0x69]);
  });

  it('rejects a time that does not fit in an int64', () => {
    expect(() => encodePlayback(1n << 63n, txt('x'))).toThrow(RangeError);
  });
});

describe('decodePlayback', () => {
  it('reproduces the worked example of the contract', () => {
    const stdout = cat(
      txt('head'),
      pb(0n, 'one'),
      pb(0n, 'two'),
      pb(2n * SECOND - 1n, 'four'),
      txt('middle'),
      pb(3n * SECOND, 'seven'),
      txt('tail'),
    );
    const stderr = cat(pb(1n * SECOND, 'three'), pb(2n * SECOND, 'five'), pb(2n * SECOND, 'six'));
    expect(decodePlayback(stdout, stderr)).toEqual([
      { Message: 'headonetwo', Kind: 'stdout', Delay: 0 },
      { Message: 'three', Kind: 'stderr', Delay: 1e9 },
      { Message: 'fourmiddle', Kind: 'stdout', Delay: 1e9 - 1 },
      { Message: 'fivesix', Kind: 'stderr', Delay: 1 },
      { Message: 'seventail', Kind: 'stdout', Delay: 1e9 },
    ]);
  });

  it('returns no events for empty streams', () => {
    expect(decodePlayback(Buffer.alloc(0), Buffer.alloc(0))).toEqual([]);
  });

  it('treats output without any header as one event at the epoch', () => {
    expect(decodePlayback(txt('hello\nworld\n'), Buffer.alloc(0))).toEqual([
      { Message: 'hello\nworld\n', Kind: 'stdout', Delay: 0 },
    ]);
  });

  it('measures the first event from the epoch, not from zero', () => {
    const events = decodePlayback(pb(5n * SECOND, 'late'), Buffer.alloc(0));
    expect(events).toEqual([{ Message: 'late', Kind: 'stdout', Delay: 5e9 }]);
  });

  it('throws PlaybackError("short header") when fewer than 12 bytes follow a magic', () => {
    const rec = pb(0n, 'x');
    const cut = rec.subarray(0, 4 + 11);
    expect(() => decodePlayback(cut, Buffer.alloc(0))).toThrow(PlaybackError);
    expect(() => decodePlayback(cut, Buffer.alloc(0))).toThrow('short header');
    expect(() => decodePlayback(Buffer.alloc(0), cat(txt('boom'), cut))).toThrow('short header');
    expect(() => decodePlayback(cat(pb(0n, 'ok'), Buffer.from([0, 0, 0x50, 0x42])), Buffer.alloc(0))).toThrow(
      'short header',
    );
  });

  it('accepts a header with exactly 12 bytes after the magic and zero length', () => {
    const events = decodePlayback(pb(1n, ''), Buffer.alloc(0));
    expect(events).toEqual([{ Message: '', Kind: 'stdout', Delay: 1 }]);
  });

  it('is a PlaybackError that is also an Error', () => {
    let caught: unknown;
    try {
      decodePlayback(Buffer.from([0, 0, 0x50, 0x42, 1]), Buffer.alloc(0));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught).toBeInstanceOf(PlaybackError);
    expect((caught as Error).name).toBe('PlaybackError');
  });

  it('truncates a record whose length runs past the end of the stream', () => {
    const full = pb(SECOND, 'abcdefgh');
    const cut = full.subarray(0, full.length - 5);
    expect(decodePlayback(cut, Buffer.alloc(0))).toEqual([{ Message: 'abc', Kind: 'stdout', Delay: 1e9 }]);
  });

  it('takes the record length literally, even when the data contains the magic', () => {
    const inner = cat(txt('a'), Buffer.from([0, 0, 0x50, 0x42]), txt('b'));
    const events = decodePlayback(cat(pb(0n, inner), pb(SECOND, 'c')), Buffer.alloc(0));
    expect(events).toHaveLength(2);
    expect(events[0].Message).toBe('a\u0000\u0000PBb');
    expect(events[1]).toEqual({ Message: 'c', Kind: 'stdout', Delay: 1e9 });
  });

  it('treats a partial magic at the end as text', () => {
    const events = decodePlayback(cat(pb(0n, 'x'), Buffer.from([0, 0, 0x50])), Buffer.alloc(0));
    expect(events).toEqual([{ Message: 'x\u0000\u0000P', Kind: 'stdout', Delay: 0 }]);
  });

  it('stamps text between records with the time of the preceding record', () => {
    const events = decodePlayback(cat(pb(SECOND, 'a'), txt('b'), pb(2n * SECOND, 'c'), txt('d')), Buffer.alloc(0));
    expect(events).toEqual([
      { Message: 'ab', Kind: 'stdout', Delay: 1e9 },
      { Message: 'cd', Kind: 'stdout', Delay: 1e9 },
    ]);
  });

  it('clamps a time that goes backwards to the previous time of that stream', () => {
    const events = decodePlayback(cat(pb(5n * SECOND, 'a'), pb(2n * SECOND, 'b'), pb(6n * SECOND, 'c')), Buffer.alloc(0));
    expect(events).toEqual([
      { Message: 'ab', Kind: 'stdout', Delay: 5e9 },
      { Message: 'c', Kind: 'stdout', Delay: 1e9 },
    ]);
  });

  it('clamps a time before the epoch to the epoch', () => {
    const before = encodePlayback(PLAYBACK_EPOCH_NS - SECOND, txt('early'));
    const events = decodePlayback(cat(txt('x'), before), Buffer.alloc(0));
    expect(events).toEqual([{ Message: 'xearly', Kind: 'stdout', Delay: 0 }]);
  });

  it('clamps a negative int64 time (top bit set) instead of reading it as a huge time', () => {
    const rec = pb(0n, 'y');
    rec[4] = 0xff; // time becomes negative as a signed 64-bit integer
    expect(decodePlayback(cat(pb(SECOND, 'x'), rec), Buffer.alloc(0))).toEqual([
      { Message: 'xy', Kind: 'stdout', Delay: 1e9 },
    ]);
  });

  it('keeps chunks of one stream separate when their times differ', () => {
    const events = decodePlayback(cat(pb(1n, 'a'), pb(2n, 'b'), pb(2n, 'c')), Buffer.alloc(0));
    expect(events.map((e) => [e.Message, e.Delay])).toEqual([
      ['a', 1],
      ['bc', 1],
    ]);
  });

  it('puts stderr first on equal times, and a zero-delay event does not move the clock', () => {
    const stdout = cat(pb(SECOND, 'out'), pb(3n * SECOND, 'out2'));
    const stderr = pb(SECOND, 'err');
    expect(decodePlayback(stdout, stderr)).toEqual([
      { Message: 'err', Kind: 'stderr', Delay: 1e9 },
      { Message: 'out', Kind: 'stdout', Delay: 0 },
      { Message: 'out2', Kind: 'stdout', Delay: 2e9 },
    ]);
  });

  it('does not merge equal-time chunks of different streams', () => {
    const events = decodePlayback(pb(0n, 'a'), pb(0n, 'b'));
    expect(events).toEqual([
      { Message: 'b', Kind: 'stderr', Delay: 0 },
      { Message: 'a', Kind: 'stdout', Delay: 0 },
    ]);
  });

  it('handles stderr-only output', () => {
    expect(decodePlayback(Buffer.alloc(0), cat(txt('panic: x\n'), pb(SECOND, 'more')))).toEqual([
      { Message: 'panic: x\n', Kind: 'stderr', Delay: 0 },
      { Message: 'more', Kind: 'stderr', Delay: 1e9 },
    ]);
  });

  it('interleaves by the 1 ns that faketime adds on an fd switch', () => {
    const stdout = cat(pb(0n, '1'), pb(2n, '3'));
    const stderr = cat(pb(1n, '2'), pb(3n, '4'));
    expect(decodePlayback(stdout, stderr).map((e) => `${e.Kind}:${e.Message}:${e.Delay}`)).toEqual([
      'stdout:1:0',
      'stderr:2:1',
      'stdout:3:1',
      'stderr:4:1',
    ]);
  });

  it('represents very long virtual sleeps exactly', () => {
    const hours1000 = 3_600_000n * SECOND;
    expect(decodePlayback(pb(hours1000, 'z'), Buffer.alloc(0))[0].Delay).toBe(3_600_000e9);
  });

  it('joins a multi-byte character split across two writes of the same event', () => {
    const e = Buffer.from('é');
    const events = decodePlayback(cat(pb(0n, e.subarray(0, 1)), pb(0n, e.subarray(1))), Buffer.alloc(0));
    expect(events).toEqual([{ Message: 'é', Kind: 'stdout', Delay: 0 }]);
  });

  it('replaces the halves of a character split across events with U+FFFD', () => {
    const e = Buffer.from('é');
    const events = decodePlayback(cat(pb(0n, e.subarray(0, 1)), pb(1n, e.subarray(1))), Buffer.alloc(0));
    expect(events.map((x) => x.Message)).toEqual(['\uFFFD', '\uFFFD']);
  });

  it('replaces invalid UTF-8 in messages', () => {
    const events = decodePlayback(pb(0n, Buffer.from([0x61, 0xff, 0x62])), Buffer.alloc(0));
    expect(events[0].Message).toBe('a\uFFFDb');
  });
});

describe('sanitizeUtf8', () => {
  const s = (bytes: number[]): string => sanitizeUtf8(Buffer.from(bytes));

  it('passes valid text through, including 4-byte characters', () => {
    expect(sanitizeUtf8(Buffer.from('héllo, 世界 🎉'))).toBe('héllo, 世界 🎉');
  });

  it('gives one U+FFFD per byte of a truncated sequence, as Go does', () => {
    // E2 82 is the start of "€" (E2 82 AC) cut short: Go yields two replacements.
    expect(s([0xe2, 0x82, 0x41])).toBe('\uFFFD\uFFFDA');
    expect(s([0xf0, 0x9f, 0x8e])).toBe('\uFFFD\uFFFD\uFFFD');
  });

  it('rejects overlong forms, surrogates and code points past U+10FFFF', () => {
    expect(s([0xc0, 0x80])).toBe('\uFFFD\uFFFD');
    expect(s([0xe0, 0x80, 0x80])).toBe('\uFFFD\uFFFD\uFFFD');
    expect(s([0xed, 0xa0, 0x80])).toBe('\uFFFD\uFFFD\uFFFD');
    expect(s([0xf4, 0x90, 0x80, 0x80])).toBe('\uFFFD\uFFFD\uFFFD\uFFFD');
    expect(s([0xf5, 0x80])).toBe('\uFFFD\uFFFD');
  });

  it('keeps valid neighbours of invalid bytes intact', () => {
    expect(s([0xe2, 0x82, 0xac, 0x80, 0xc3, 0xa9])).toBe('€\uFFFDé');
    expect(s([0xed, 0x9f, 0xbf])).toBe('\uD7FF');
    expect(s([0xf4, 0x8f, 0xbf, 0xbf])).toBe('\u{10FFFF}');
  });
});
