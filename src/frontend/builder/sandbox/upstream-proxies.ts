import { createReadStream } from 'fs';
import * as fs from 'fs/promises';
import * as path from 'path';
import { Readable } from 'stream';
import { fileURLToPath } from 'url';

/** Go's own default, without its `direct` fallback. */
export const DEFAULT_MODULE_PROXY = 'https://proxy.golang.org';

export interface UpstreamProxy {
  url: URL;
  /** For messages and logs: no credentials. */
  display: string;
  /** `|` after this entry in GOPROXY: the next one is tried after any failure, not only 404/410. */
  fallBackOnAnyError: boolean;
  authorization?: string;
}

export interface UpstreamList {
  proxies: UpstreamProxy[];
  /** Entries that were dropped, with why (logged once at start-up). */
  ignored: string[];
}

/**
 * The operator's GOPROXY, as the go command reads it, minus what would let a build leave the
 * module proxy: `direct` (the go command would run git or hg on a user's go.mod) is dropped,
 * and `off` ends the list. Credentials in a URL stay here, on the host: the sandbox only ever
 * sees the relay.
 */
export function parseGoproxy(setting: string): UpstreamList {
  const proxies: UpstreamProxy[] = [];
  const ignored: string[] = [];
  const value = setting.trim() === '' ? DEFAULT_MODULE_PROXY : setting;
  const parts = value.split(/([,|])/);
  for (let i = 0; i < parts.length; i += 2) {
    const entry = parts[i].trim();
    const separator = parts[i + 1];
    if (entry === '') continue;
    if (entry === 'off') break;
    if (entry === 'direct') {
      ignored.push('direct (modules come only through a module proxy; version control tools never run)');
      continue;
    }
    let url: URL;
    try {
      url = new URL(entry.includes('://') ? entry : `https://${entry}`);
    } catch {
      ignored.push(`${entry} (not a URL)`);
      continue;
    }
    if (!['https:', 'http:', 'file:'].includes(url.protocol)) {
      ignored.push(`${entry} (unsupported scheme ${url.protocol})`);
      continue;
    }
    let authorization: string | undefined;
    if (url.username || url.password) {
      authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    const base = url.href.replace(/\/+$/, '');
    proxies.push({ url: new URL(base), display: base, fallBackOnAnyError: separator === '|', authorization });
  }
  return { proxies, ignored };
}

export interface UpstreamAnswer {
  status: number;
  contentType: string;
  body: Readable | null;
  /** The upstream could not be asked (network, 5xx): the build's result must not be cached. */
  transient: boolean;
}

const NOT_FOUND = new Set([404, 410]);

/** Asks each upstream in turn for `requestPath`, falling back as the go command would. */
export async function fetchUpstream(list: UpstreamList, requestPath: string, signal: AbortSignal): Promise<UpstreamAnswer> {
  let last: UpstreamAnswer = { status: 404, contentType: 'text/plain', body: null, transient: false };
  for (const p of list.proxies) {
    last = await fetchOne(p, requestPath, signal);
    if (last.status === 200) return last;
    last.body?.destroy();
    last.body = null;
    if (!NOT_FOUND.has(last.status) && !p.fallBackOnAnyError) return last;
  }
  return last;
}

async function fetchOne(p: UpstreamProxy, requestPath: string, signal: AbortSignal): Promise<UpstreamAnswer> {
  if (p.url.protocol === 'file:') return readFileProxy(p, requestPath);
  try {
    const res = await fetch(p.display + requestPath, {
      signal,
      headers: p.authorization ? { Authorization: p.authorization } : {},
      redirect: 'follow',
    });
    const body = res.body ? Readable.fromWeb(res.body as import('stream/web').ReadableStream) : null;
    return { status: res.status, contentType: res.headers.get('content-type') ?? 'application/octet-stream', body, transient: res.status >= 500 };
  } catch {
    return { status: 502, contentType: 'text/plain', body: null, transient: true };
  }
}

/** A file:// proxy is a directory in the proxy protocol's layout (as GOPROXY=file://… reads it). */
async function readFileProxy(p: UpstreamProxy, requestPath: string): Promise<UpstreamAnswer> {
  const root = fileURLToPath(p.url);
  const file = path.join(root, requestPath);
  if (!file.startsWith(root + path.sep) || requestPath.startsWith('/sumdb/')) return { status: 404, contentType: 'text/plain', body: null, transient: false };
  try {
    if (!(await fs.stat(file)).isFile()) throw new Error('not a file');
  } catch {
    return { status: 404, contentType: 'text/plain', body: null, transient: false };
  }
  return { status: 200, contentType: 'application/octet-stream', body: createReadStream(file), transient: false };
}
