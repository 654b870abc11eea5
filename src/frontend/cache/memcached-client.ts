import * as net from 'net';

/** Where a memcached is: memcached://host:port (CACHE_URL, checked by the settings). */
export function parseMemcachedUrl(url: string): { host: string; port: number } {
  const m = /^memcached:\/\/([^/:@]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\/?$/.exec(url);
  if (!m) throw new Error('expected memcached://host:port');
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

interface Pending {
  kind: 'get' | 'set';
  done(value: Buffer | undefined | boolean): void;
  timer: NodeJS.Timeout;
}

/**
 * A small client of memcached's text protocol (get and set), one connection, requests
 * pipelined in order. The cache is an optimisation, so it never fails a caller: an answer
 * that does not come within `timeoutMs`, a closed connection or any protocol surprise is a
 * miss (or an unstored value), the connection is dropped, and after a failure it is tried
 * again only once `retryMs` have passed, so a dead memcached costs a request nothing.
 */
export class MemcachedClient {
  private socket?: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  private downUntil = 0;
  /** Set when the connection failed; cleared when it works again (for one log line each). */
  onStateChange?: (up: boolean, why: string) => void;
  private up = true;

  constructor(private readonly host: string, private readonly port: number, private readonly timeoutMs = 250, private readonly retryMs = 1000) {}

  get(key: string): Promise<Buffer | undefined> {
    return this.request('get', `get ${key}\r\n`) as Promise<Buffer | undefined>;
  }

  /** Resolves true once memcached answered STORED. */
  set(key: string, value: Buffer, ttlSeconds = 0): Promise<boolean> {
    const head = Buffer.from(`set ${key} 0 ${ttlSeconds} ${value.length}\r\n`);
    return this.request('set', Buffer.concat([head, value, Buffer.from('\r\n')])) as Promise<boolean>;
  }

  close(): void {
    this.fail('closed');
  }

  private request(kind: 'get' | 'set', wire: string | Buffer): Promise<Buffer | undefined | boolean> {
    const failed = kind === 'get' ? undefined : false;
    if (Date.now() < this.downUntil) return Promise.resolve(failed);
    const socket = this.connect();
    return new Promise((resolve) => {
      const entry: Pending = {
        kind,
        done: (v) => { clearTimeout(entry.timer); resolve(v); },
        timer: setTimeout(() => this.fail(`no answer within ${this.timeoutMs} ms`), this.timeoutMs),
      };
      entry.timer.unref();
      this.pending.push(entry);
      socket.write(wire);
    });
  }

  private connect(): net.Socket {
    if (this.socket) return this.socket;
    const socket = net.createConnection({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('error', (e) => this.fail(e.message));
    socket.on('close', () => { if (this.socket === socket) this.fail('connection closed'); });
    this.socket = socket;
    return socket;
  }

  /** Everything pending gets its miss; the next request after retryMs connects anew. */
  private fail(why: string): void {
    const socket = this.socket;
    this.socket = undefined;
    this.buffer = Buffer.alloc(0);
    socket?.destroy();
    for (const p of this.pending.splice(0)) p.done(p.kind === 'get' ? undefined : false);
    if (why === 'closed') return;
    this.downUntil = Date.now() + this.retryMs;
    if (this.up) this.onStateChange?.(false, why);
    this.up = false;
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const p = this.pending[0];
      if (!p) {
        if (this.buffer.length) this.fail('an answer nobody asked for');
        return;
      }
      const used = p.kind === 'get' ? this.parseGet(p) : this.parseSet(p);
      if (used === 0) return; // incomplete: wait for more
      if (used < 0) return this.fail('a reply that is not memcached\'s');
      this.buffer = this.buffer.subarray(used);
      this.pending.shift();
      if (!this.up) this.onStateChange?.(true, '');
      this.up = true;
    }
  }

  /** Bytes of one get reply (0: incomplete, -1: malformed); calls done with the value. */
  private parseGet(p: Pending): number {
    const eol = this.buffer.indexOf('\r\n');
    if (eol < 0) return this.buffer.length > 1024 ? -1 : 0;
    const line = this.buffer.subarray(0, eol).toString('latin1');
    if (line === 'END') {
      p.done(undefined);
      return eol + 2;
    }
    const m = /^VALUE \S+ \d+ (\d+)$/.exec(line);
    if (!m) return -1;
    const size = Number(m[1]);
    const end = eol + 2 + size;
    if (this.buffer.length < end + 2 + 5) return 0; // data, \r\n, END\r\n
    if (this.buffer.subarray(end, end + 7).toString('latin1') !== '\r\nEND\r\n') return -1;
    p.done(Buffer.from(this.buffer.subarray(eol + 2, end)));
    return end + 7;
  }

  private parseSet(p: Pending): number {
    const eol = this.buffer.indexOf('\r\n');
    if (eol < 0) return this.buffer.length > 1024 ? -1 : 0;
    const line = this.buffer.subarray(0, eol).toString('latin1');
    // NOT_STORED, SERVER_ERROR object too large…: the value is simply not cached.
    if (!/^(STORED|NOT_STORED|SERVER_ERROR .*)$/.test(line)) return -1;
    p.done(line === 'STORED');
    return eol + 2;
  }
}
