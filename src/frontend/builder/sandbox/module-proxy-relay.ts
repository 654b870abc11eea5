import { Logger } from '@nestjs/common';
import { createReadStream } from 'fs';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import type { Readable } from 'stream';
import { parseProxyRequest } from './proxy-request';
import { RelayCache } from './relay-cache';
import { fetchUpstream, UpstreamList } from './upstream-proxies';

/** The socket's name inside a session's directory (the sandbox sees the directory at RELAY_DIR). */
export const RELAY_SOCKET = 'relay.sock';

export interface RelayLimits {
  /** Requests one build may make. */
  maxRequests: number;
  /** Largest single answer (a module zip); Go's own limit for a module zip is 500 MiB. */
  maxAnswerBytes: number;
}

/** One build's private way to the module proxy: a Unix socket only that build's sandbox sees. */
export interface RelaySession {
  /** Host directory holding the socket, to be mounted into the sandbox. */
  readonly dir: string;
  /** Upstream answers that were failures of the moment (network, 5xx): the build must not be cached. */
  readonly transientFailures: number;
  close(): Promise<void>;
}

/**
 * The only way out of the build sandbox. The sandbox has a network namespace of its own with
 * nothing but loopback; a forwarder in it (build-helper run -forward) carries the go command's
 * proxy requests to this relay over a Unix socket. The relay passes on only the module proxy
 * protocol's reads, to the configured upstream proxies only (never `direct`, so no version
 * control tool ever runs on a user's go.mod), adds the operator's credentials on this side,
 * and keeps immutable answers.
 */
export class ModuleProxyRelay {
  private readonly log = new Logger('module-proxy');

  constructor(
    private readonly upstreams: UpstreamList,
    private readonly cache: RelayCache | null,
    private readonly limits: RelayLimits,
    /** Who may connect: the build sandbox's user, when this process runs as root. */
    private readonly owner?: { uid: number; gid: number },
  ) {
    for (const why of upstreams.ignored) this.log.warn(`GOPROXY entry ignored: ${why}`);
    if (!this.enabled) this.log.warn('no usable module proxy in GOPROXY: programs can import the standard library only');
  }

  get enabled(): boolean {
    return this.upstreams.proxies.length > 0;
  }

  /** How messages name the proxy (what the go command printed as the relay's address). */
  get display(): string {
    return this.upstreams.proxies[0]?.display ?? 'off';
  }

  async open(): Promise<RelaySession> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'play-proxy-'));
    const socket = path.join(dir, RELAY_SOCKET);
    const state = { requests: 0, transient: 0 };
    const server = http.createServer((req, res) => void this.handle(req, res, state));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socket, resolve));
    fs.chmodSync(socket, 0o600);
    if (this.owner) {
      fs.chownSync(dir, this.owner.uid, this.owner.gid);
      fs.chownSync(socket, this.owner.uid, this.owner.gid);
    }
    return {
      dir,
      get transientFailures() {
        return state.transient;
      },
      close: async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, state: { requests: number; transient: number }): Promise<void> {
    const parsed = parseProxyRequest(req.method ?? '', req.url ?? '');
    if ('refused' in parsed) return text(res, 403, `refused by the playground's module proxy relay: ${parsed.refused}`);
    if (++state.requests > this.limits.maxRequests) return text(res, 429, `more than ${this.limits.maxRequests} module proxy requests in one build`);
    const head = req.method === 'HEAD';
    const cached = parsed.immutable ? this.cache?.lookup(parsed.path) : null;
    if (cached) return this.send(res, 'application/octet-stream', createReadStream(cached), head, null);

    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const answer = await fetchUpstream(this.upstreams, parsed.path, abort.signal);
    if (answer.transient) state.transient++;
    if (answer.status !== 200 || !answer.body) {
      answer.body?.destroy();
      if (answer.status === 404 || answer.status === 410) return text(res, answer.status, `not found: ${parsed.path} is not on the module proxy (${this.display})`);
      return text(res, 502, `the module proxy (${this.display}) could not be reached or failed (${answer.status}); try again later`);
    }
    const keep = parsed.immutable && !head ? this.cache?.writer(parsed.path, this.limits.maxAnswerBytes) ?? null : null;
    return this.send(res, answer.contentType, answer.body, head, keep);
  }

  private send(res: http.ServerResponse, type: string, body: Readable, head: boolean, keep: ReturnType<RelayCache['writer']> | null): void {
    res.writeHead(200, { 'Content-Type': type });
    if (head) {
      body.destroy();
      res.end();
      return;
    }
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.limits.maxAnswerBytes) {
        keep?.abort();
        body.destroy();
        res.destroy();
        return;
      }
      keep?.write(chunk);
      if (!res.write(chunk)) {
        body.pause();
        res.once('drain', () => body.resume());
      }
    });
    body.on('end', () => {
      keep?.commit();
      res.end();
    });
    body.on('error', () => {
      keep?.abort();
      res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) {
        keep?.abort();
        body.destroy();
      }
    });
  }
}

function text(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(message + '\n');
}
