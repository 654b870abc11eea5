import { createHmac } from 'crypto';
import { isIP } from 'net';

/**
 * The part of a client's address that names one client: an IPv4 address as it is, an IPv6
 * address by its /64 (what one household or one server is given: counting single IPv6
 * addresses would let anyone be a million clients), an IPv4-mapped IPv6 address as the IPv4
 * address, and anything unreadable or missing as one "unknown" client (which can only ever
 * count once more, never as many).
 */
export function clientIdentity(address: string | undefined): string {
  const bare = (address ?? '').trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped && isIP(mapped[1]) === 4) return mapped[1];
  switch (isIP(bare)) {
    case 4: return bare;
    case 6: return `${ipv6Groups(bare).slice(0, 4).join(':')}::/64`;
    default: return 'unknown';
  }
}

/** The eight 16-bit groups of a valid IPv6 address, lower-case, without leading zeros. */
function ipv6Groups(address: string): string[] {
  let text = address.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((g) => parseInt(g, 16).toString(16));
}

/**
 * A client's key: HMAC-SHA256 of its identity with a secret kept in the database, shortened to
 * 128 bits. Stable across restarts (same secret), not reversible without the secret (a plain
 * hash of an IPv4 address is undone by trying all 2^32), and never the address itself.
 */
export function clientKey(secret: string, address: string | undefined): string {
  if (!secret) throw new Error('no client key secret: the database migrations have not run');
  return createHmac('sha256', secret).update(clientIdentity(address)).digest('hex').slice(0, 32);
}
