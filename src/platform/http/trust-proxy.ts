import * as net from 'net';

/** Express's "trust proxy": off, a number of hops, or the addresses/networks of the proxies. */
export type TrustProxy = false | number | string[];

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Reads TRUST_PROXY. `true` is refused: it would make the client address the left-most
 * X-Forwarded-For entry, which the client writes itself. A number trusts that many proxies in
 * front of the service (the address is the entry the outermost one appended); a list trusts
 * proxies by address or network (Express's names loopback, linklocal, uniquelocal included).
 */
export function parseTrustProxy(raw: string): TrustProxy {
  const v = raw.trim();
  if (/^(|0|false|no|off)$/i.test(v)) return false;
  if (/^(true|yes|on)$/i.test(v)) {
    throw new Error('true would trust every X-Forwarded-For entry, which the client writes itself: give the number of proxies in front of the service (e.g. 1) or their addresses or networks (e.g. 10.0.0.0/8)');
  }
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 32) throw new Error(`${hops} proxy hops is implausible (at most 32)`);
    return hops;
  }
  const entries = v.split(',').map((e) => e.trim());
  for (const e of entries) {
    if (NAMED.has(e)) continue;
    const [addr, prefix, ...rest] = e.split('/');
    const family = net.isIP(addr);
    const max = family === 6 ? 128 : 32;
    if (!family || rest.length || (prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= max))) {
      throw new Error(`"${e}" is neither a number of hops, an address, a network (address/prefix) nor loopback, linklocal or uniquelocal`);
    }
  }
  return entries;
}
