import { ResultLineReader } from './result-line';

const NONCE = 'f'.repeat(32);

/** Feeds the chunks in order and returns the first non-null answer. */
function read(chunks: Array<string | Buffer>, maxBytes = 1000): string | 'too-large' | null {
  const r = new ResultLineReader(NONCE, maxBytes);
  for (const c of chunks) {
    const out = r.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
    if (out !== null) return out;
  }
  return null;
}

describe('ResultLineReader', () => {
  it('returns the text after the marker up to the newline', () => {
    expect(read([`${NONCE} {"exitCode":0}\n`])).toBe('{"exitCode":0}');
  });

  it('drops whatever came before the marker, newline or not, however much', () => {
    const flood = Buffer.alloc(3 << 20, 'x'); // the program, through /proc/1/fd/1, without a newline
    expect(read([flood, 'forged {"exitCode":0}\n', flood, `${NONCE} {"exitCode":7}\n`], 100)).toBe('{"exitCode":7}');
  });

  it('finds a marker split across chunks at any point', () => {
    const line = `junk${NONCE} {"exitCode":3}\n`;
    for (let i = 1; i < line.length; i++) {
      expect(read([line.slice(0, i), line.slice(i)])).toBe('{"exitCode":3}');
    }
    // and one dribbled a byte at a time
    expect(read([...line])).toBe('{"exitCode":3}');
  });

  it('is not fooled by a part of the marker', () => {
    expect(read([`${NONCE.slice(0, 20)} {"exitCode":1}\n`, `${NONCE.slice(1)} x\n`])).toBeNull();
  });

  it('counts only the result line against the limit', () => {
    expect(read([`${NONCE} `, 'a'.repeat(10), 'a'.repeat(10)], 15)).toBe('too-large');
    expect(read([`${NONCE} `, 'a'.repeat(15), '\n'], 15)).toBe('a'.repeat(15));
  });
});
