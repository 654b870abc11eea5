/**
 * Loopback HTTP for the specs (and benchmarks): a small client on node's http module that keeps
 * the raw bytes, repeated headers and the timing, a free port, and a pause.
 */
import * as http from 'http';
import * as net from 'net';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** Wall-clock milliseconds from sending the request to the end of the answer. */
  ms: number;
  json<T = unknown>(): T;
}

export interface RequestOptions {
  method?: string;
  body?: Buffer | string;
  headers?: http.OutgoingHttpHeaders;
  signal?: AbortSignal;
  /** E.g. a keep-alive agent; node's global agent unless given. */
  agent?: http.Agent;
  /** The loopback source address (another "client" for per-client limits: 127.0.0.2 is still this machine). */
  localAddress?: string;
  /** Fail when the socket is idle this long (no limit unless given). */
  timeoutMs?: number;
}

/**
 * One HTTP request on node's http module (loopback only): the body is sent exactly as given, so
 * tests can send invalid UTF-8 or a wrong Content-Type, and repeated headers stay separate lines
 * (fetch would join them).
 */
export function request(url: string, opts: RequestOptions = {}): Promise<Reply> {
  const u = new URL(url);
  if (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost' && u.hostname !== '[::1]') {
    return Promise.reject(new Error(`tests only talk to loopback, not ${u.hostname}`));
  }
  return new Promise((resolve, reject) => {
    const began = process.hrtime.bigint();
    const req = http.request(u, { method: opts.method ?? 'GET', headers: opts.headers, signal: opts.signal, agent: opts.agent, localAddress: opts.localAddress, timeout: opts.timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        const ms = Number(process.hrtime.bigint() - began) / 1e6;
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text,
          ms,
          json: <T>() => {
            try {
              return JSON.parse(text) as T;
            } catch {
              throw new Error(`answer ${res.statusCode} is not JSON: ${text.slice(0, 300)}`);
            }
          },
        });
      });
    });
    if (opts.timeoutMs !== undefined) req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A free loopback port (closed again before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Whether something on 127.0.0.1 accepts a TCP connection on `port` now. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createConnection({ host: '127.0.0.1', port }, () => { s.end(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}
