/**
 * What the build sandbox may ask of the module proxy: the GOPROXY protocol's read-only paths
 * (https://go.dev/ref/mod#goproxy-protocol) and the checksum database's, as the go command
 * sends them through a proxy (https://go.dev/ref/mod#checksum-database). Anything else is
 * refused before it leaves the host.
 */
export type ProxyRequestKind = 'list' | 'info' | 'mod' | 'zip' | 'latest' | 'sumdb';

export interface ProxyRequest {
  kind: ProxyRequestKind;
  /** The path to ask the upstream proxy for, exactly as validated. */
  path: string;
  /** Whether the answer never changes, so it may be kept. */
  immutable: boolean;
}

// Module paths and versions reach the proxy case-encoded ("!" before a lower-cased capital),
// so a valid element has no capitals at all.
const ELEMENT = String.raw`[a-z0-9~_+!-](?:[a-z0-9.~_+!-]*[a-z0-9~_+-])?`;
const MODULE = String.raw`${ELEMENT}(?:\/${ELEMENT})*`;
const VERSION = String.raw`v[a-z0-9.~_+!-]+`;
const MODULE_PATH = new RegExp(String.raw`^\/(${MODULE})\/@(?:v\/(list|${VERSION}\.(?:info|mod|zip))|(latest))$`);
const SUMDB_HOST = String.raw`[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::\d{1,5})?`;
const SUMDB_PATH = new RegExp(String.raw`^\/sumdb\/${SUMDB_HOST}\/(?:supported|latest|lookup\/${MODULE}@${VERSION}|tile\/\d+\/\d+\/(?:x\d{3}\/)*\d{3}(?:\.p\/\d+)?)$`);

export function parseProxyRequest(method: string, url: string): ProxyRequest | { refused: string } {
  if (method !== 'GET' && method !== 'HEAD') return { refused: `method ${method} is not part of the module proxy protocol` };
  if (url.length > 1024 || url.includes('?') || url.includes('%') || url.includes('//')) return { refused: 'not a module proxy path' };
  if (url.split('/').some((e) => e === '.' || e === '..')) return { refused: 'not a module proxy path' };
  const sumdb = SUMDB_PATH.exec(url);
  if (sumdb) return { kind: 'sumdb', path: url, immutable: /\/(lookup|tile)\//.test(url) };
  const m = MODULE_PATH.exec(url);
  if (!m) return { refused: 'not a module proxy path' };
  if (m[3] === 'latest') return { kind: 'latest', path: url, immutable: false };
  if (m[2] === 'list') return { kind: 'list', path: url, immutable: false };
  const kind = m[2].slice(m[2].lastIndexOf('.') + 1) as 'info' | 'mod' | 'zip';
  return { kind, path: url, immutable: true };
}
