import { createHash, timingSafeEqual } from 'crypto';

/** Credentials are kept and compared as SHA-256 digests: equal lengths, constant time. */
export const secretDigest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function sameSecret(presented: string, digest: Buffer): boolean {
  return timingSafeEqual(secretDigest(presented), digest);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? null;
}
