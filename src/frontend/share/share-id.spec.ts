import { createHash } from 'node:crypto';
import { shareId } from './share-id';

describe('shareId', () => {
  it('matches the playground check value', () => {
    expect(shareId(Buffer.from('Snippy McSnipface'))).toBe('N_M_YelfGeR');
  });

  it('is 11 URL-safe characters for ordinary bodies and stable across calls', () => {
    const body = Buffer.from('package main\n\nfunc main() {}\n');
    const id = shareId(body);
    expect(id).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(shareId(Buffer.from(body))).toBe(id);
  });

  it('hashes the bytes, salted, so different bodies differ', () => {
    expect(shareId(Buffer.from('a'))).not.toBe(shareId(Buffer.from('b')));
    const unsalted = createHash('sha256').update('Snippy McSnipface').digest('base64url').slice(0, 11);
    expect(shareId(Buffer.from('Snippy McSnipface'))).not.toBe(unsalted);
  });

  it('hashes raw bytes, not a re-encoded string', () => {
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // "café" in Latin-1, invalid UTF-8
    const expected = createHash('sha256').update('Go playground salt\n').update(latin1).digest('base64url');
    expect(shareId(latin1)).toBe(expected.slice(0, 11));
  });

  it('extends the ID one character at a time while it ends in "_"', () => {
    // Find bodies whose digest has "_" at position 10 (and at 10 and 11) to exercise extension.
    const digestOf = (b: string): string =>
      createHash('sha256').update('Go playground salt\n').update(b).digest('base64url');
    let once: string | undefined;
    let twice: string | undefined;
    for (let i = 0; (once === undefined || twice === undefined) && i < 200_000; i++) {
      const d = digestOf(`body ${i}`);
      if (d[10] !== '_') continue;
      if (d[11] === '_') twice ??= `body ${i}`;
      else once ??= `body ${i}`;
    }
    expect(once).toBeDefined();
    expect(twice).toBeDefined();
    const d1 = digestOf(once!);
    expect(shareId(Buffer.from(once!))).toBe(d1.slice(0, 12));
    const d2 = digestOf(twice!);
    const id2 = shareId(Buffer.from(twice!));
    expect(id2.length).toBeGreaterThanOrEqual(13);
    expect(id2.endsWith('_')).toBe(false);
    expect(id2).toBe(d2.slice(0, id2.length));
  });

  it('handles an empty body', () => {
    expect(shareId(Buffer.alloc(0))).toMatch(/^[A-Za-z0-9_-]{11}[A-Za-z0-9_-]*$/);
  });
});
