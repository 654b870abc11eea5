import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  it('lets a client spend its budget, then names the seconds until a token is back', () => {
    const b = new TokenBuckets(3);
    for (let i = 0; i < 3; i++) expect(b.take('1.1.1.1', 1000)).toBe(0);
    expect(b.take('1.1.1.1', 1000)).toBe(20); // one token every 20 s at 3 a minute
    expect(b.take('1.1.1.1', 21_000)).toBe(0);
  });

  it('keeps clients apart', () => {
    const b = new TokenBuckets(1);
    expect(b.take('1.1.1.1')).toBe(0);
    expect(b.take('2.2.2.2')).toBe(0);
    expect(b.take('1.1.1.1')).toBeGreaterThan(0);
  });

  it('is off at 0', () => {
    const b = new TokenBuckets(0);
    for (let i = 0; i < 10; i++) expect(b.take('1.1.1.1')).toBe(0);
  });

  it('forgets only clients whose bucket is full again when it holds too many', () => {
    const b = new TokenBuckets(2, 2);
    b.take('idle', 0); // full again a minute later
    b.take('busy', 59_000);
    b.take('busy', 59_000);
    expect(b.take('new', 60_000)).toBe(0); // makes room by forgetting "idle"
    expect(b.take('busy', 60_000)).toBeGreaterThan(0); // "busy" was kept, still empty
  });
});
