import { MemoryAnswerCache, SharedAnswerCache } from './answer-cache';
import { MemcachedClient } from './memcached-client';
import type { CompileResponse } from '../playground/contract';
import { Memcached, startMemcached } from '../../../test/support/memcached';

// Two frontends' caches on one real memcached (Debian's, on loopback, started for this spec).
let mc: Memcached;

beforeAll(async () => {
  mc = await startMemcached();
});

afterAll(async () => {
  await mc.stop();
});

const answer = (text: string): CompileResponse => ({
  Errors: '', Events: [{ Message: text, Kind: 'stdout', Delay: 0 }, { Message: 'oops\n', Kind: 'stderr', Delay: 1_000_000 }], Status: 0, IsTest: false, TestsFailed: 0, VetOK: true,
});

/** Resolves once `get` finds the value (a set is sent behind the answer, not awaited). */
async function eventually<T>(get: () => Promise<T | undefined>): Promise<T | undefined> {
  for (let i = 0; i < 50; i++) {
    const v = await get();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

describe('SharedAnswerCache', () => {
  it('serves an answer stored by one frontend from another, exactly as stored', async () => {
    const a = new SharedAnswerCache(mc.url, new MemoryAnswerCache(1 << 20));
    const b = new SharedAnswerCache(mc.url, new MemoryAnswerCache(1 << 20));
    try {
      // Binary-safe: the protocol's own terminators inside the value change nothing.
      const value = answer('line\r\nEND\r\nVALUE x 0 1\r\nü\n');
      a.set('linux-amd64|go1.26|vet=true|abc', value);
      expect(await eventually(() => b.get('linux-amd64|go1.26|vet=true|abc'))).toEqual(value);
      expect(await b.get('linux-amd64|go1.26|vet=false|abc')).toBeUndefined();
    } finally {
      a.close();
      b.close();
    }
  });

  it('takes a value that is not an answer as a miss', async () => {
    const raw = new MemcachedClient('127.0.0.1', mc.port);
    const c = new SharedAnswerCache(mc.url, new MemoryAnswerCache(1 << 20));
    try {
      const { createHash } = await import('crypto');
      const k = `play:${createHash('sha256').update('poisoned').digest('hex')}`;
      expect(await raw.set(k, Buffer.from(JSON.stringify({ format: 'play-answer-1', answer: { Errors: 1, Events: 'x' } })))).toBe(true);
      expect(await raw.get(k)).toBeDefined();
      expect(await c.get('poisoned')).toBeUndefined();
    } finally {
      raw.close();
      c.close();
    }
  });

  it('keeps an answer too large for memcached in this frontend only', async () => {
    const a = new SharedAnswerCache(mc.url, new MemoryAnswerCache(64 << 20));
    const b = new SharedAnswerCache(mc.url, new MemoryAnswerCache(64 << 20));
    try {
      const big = answer('x'.repeat(1_200_000));
      a.set('big', big);
      expect(await a.get('big')).toEqual(big);
      await new Promise((r) => setTimeout(r, 100));
      expect(await b.get('big')).toBeUndefined();
    } finally {
      a.close();
      b.close();
    }
  });

  it('answers a miss at once when memcached is gone, and never throws', async () => {
    const gone = await startMemcached();
    const c = new SharedAnswerCache(gone.url, new MemoryAnswerCache(1 << 20));
    try {
      c.set('k', answer('before'));
      await eventually(() => c.get('k'));
      await gone.stop();
      const fresh = new SharedAnswerCache(gone.url, new MemoryAnswerCache(1 << 20));
      const began = Date.now();
      expect(await fresh.get('k')).toBeUndefined();
      expect(await fresh.get('k')).toBeUndefined();
      expect(Date.now() - began).toBeLessThan(1000);
      expect(() => fresh.set('k2', answer('after'))).not.toThrow();
      fresh.close();
    } finally {
      c.close();
    }
  });
});
