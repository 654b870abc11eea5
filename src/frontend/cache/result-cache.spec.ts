import { ResultCache } from './result-cache';

describe('ResultCache', () => {
  const cache = () => new ResultCache<string>(100, (v) => v.length);

  it('returns what was stored and counts hits and misses', () => {
    const c = cache();
    c.set('a', 'xx');
    expect(c.get('a')).toBe('xx');
    expect(c.get('b')).toBeUndefined();
    expect([c.hits, c.misses]).toEqual([1, 1]);
  });

  it('evicts the least recently used entry when over its byte budget', () => {
    const c = cache();
    c.set('a', 'x'.repeat(20));
    c.set('b', 'x'.repeat(20));
    c.get('a');
    for (const k of ['c', 'd', 'e', 'f']) c.set(k, 'x'.repeat(20));
    expect(c.usedBytes).toBeLessThanOrEqual(100);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBeDefined();
  });

  it('refuses an entry larger than a quarter of the budget', () => {
    const c = cache();
    c.set('big', 'x'.repeat(26));
    expect(c.get('big')).toBeUndefined();
  });
});
