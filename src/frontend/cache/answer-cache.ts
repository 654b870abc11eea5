import { createHash } from 'crypto';
import { Logger } from '@nestjs/common';
import type { CompileResponse } from '../playground/contract';
import { ResultCache } from './result-cache';
import { MemcachedClient, parseMemcachedUrl } from './memcached-client';

/**
 * Cached /compile answers, by a key that names the backend, its toolchain, the vet flag and the
 * body's hash. Only answers that depend on the program alone are ever put here (the compile
 * service's `cacheable`), and an answer is the whole contract body, so a hit answers exactly
 * as the build and run did, whichever frontend made it.
 */
export interface AnswerCache {
  get(key: string): Promise<CompileResponse | undefined>;
  set(key: string, value: CompileResponse): void;
  close(): void;
}

const sizeOf = (r: CompileResponse) => 256 + JSON.stringify(r).length * 2;

/** This frontend's memory only (the default): an LRU bounded by CACHE_MAX_BYTES. */
export class MemoryAnswerCache implements AnswerCache {
  readonly lru: ResultCache<CompileResponse>;

  constructor(maxBytes: number) {
    this.lru = new ResultCache(maxBytes, sizeOf);
  }

  async get(key: string): Promise<CompileResponse | undefined> {
    return this.lru.get(key);
  }

  set(key: string, value: CompileResponse): void {
    this.lru.set(key, value);
  }

  close(): void {}
}

/** memcached refuses items past 1 MiB by default; bigger answers stay in this frontend's memory. */
const MAX_SHARED_BYTES = 1_000_000;
/** The format of a shared value; a frontend of another format takes a value of this one as a miss. */
const FORMAT = 'play-answer-1';

/**
 * Shared by every frontend (CACHE_URL=memcached://…), with this frontend's memory in front of
 * it for the hottest answers. A write goes to both and never delays the answer; a memcached
 * that is slow or gone is a miss. A value read back is checked for the contract's shape: what
 * does not parse as an answer is a miss, never a reply.
 */
export class SharedAnswerCache implements AnswerCache {
  private readonly log = new Logger('cache');
  private readonly client: MemcachedClient;

  constructor(url: string, private readonly local: MemoryAnswerCache) {
    const { host, port } = parseMemcachedUrl(url);
    this.client = new MemcachedClient(host, port);
    this.client.onStateChange = (up, why) => (up ? this.log.log(`memcached at ${host}:${port} answers again`) : this.log.warn(`memcached at ${host}:${port} unavailable (${why}): answers are computed until it is back`));
  }

  async get(key: string): Promise<CompileResponse | undefined> {
    const near = await this.local.get(key);
    if (near) return near;
    const raw = await this.client.get(sharedKey(key));
    const value = raw && decode(raw);
    if (value) this.local.set(key, value);
    return value || undefined;
  }

  set(key: string, value: CompileResponse): void {
    this.local.set(key, value);
    const raw = Buffer.from(JSON.stringify({ format: FORMAT, key, answer: value }));
    if (raw.length <= MAX_SHARED_BYTES) void this.client.set(sharedKey(key), raw);
  }

  close(): void {
    this.client.close();
  }
}

/** memcached keys are at most 250 bytes without spaces: ours are hashed into that form. */
function sharedKey(key: string): string {
  return `play:${createHash('sha256').update(key).digest('hex')}`;
}

function decode(raw: Buffer): CompileResponse | undefined {
  try {
    const v = JSON.parse(raw.toString('utf8')) as { format?: unknown; answer?: Partial<CompileResponse> };
    const a = v.answer;
    if (v.format !== FORMAT || !a || typeof a !== 'object') return undefined;
    const eventsOk = a.Events === null || (Array.isArray(a.Events) && a.Events.every((e) => e && typeof e.Message === 'string' && (e.Kind === 'stdout' || e.Kind === 'stderr') && typeof e.Delay === 'number'));
    if (typeof a.Errors !== 'string' || !eventsOk || typeof a.Status !== 'number' || typeof a.IsTest !== 'boolean' || typeof a.TestsFailed !== 'number') return undefined;
    if (a.VetErrors !== undefined && typeof a.VetErrors !== 'string') return undefined;
    if (a.VetOK !== undefined && typeof a.VetOK !== 'boolean') return undefined;
    return a as CompileResponse;
  } catch {
    return undefined;
  }
}

/** The cache CACHE_URL asks for; CACHE_MAX_BYTES=0 turns caching off, shared or not. */
export function answerCache(cacheUrl: string, maxBytes: number): AnswerCache {
  const local = new MemoryAnswerCache(maxBytes);
  return cacheUrl && maxBytes > 0 ? new SharedAnswerCache(cacheUrl, local) : local;
}
