import { sameSecret, secretDigest } from '../../platform/http/secret-digest';

export type AdminRole = 'viewer' | 'release-manager';

export interface AdminIdentity {
  name: string;
  role: AdminRole;
}

interface TokenEntry extends AdminIdentity {
  digest: Buffer;
}

/**
 * The admin tokens from ADMIN_TOKENS ("token:role[:name],…"). Only digests are kept, and a
 * presented token is compared against every entry in constant time, so neither timing nor a
 * heap dump gives a token away.
 */
export class AdminTokens {
  private readonly entries: TokenEntry[];

  constructor(spec: string) {
    this.entries = parseTokens(spec);
  }

  get configured(): boolean {
    return this.entries.length > 0;
  }

  identify(presented: string): AdminIdentity | null {
    let found: AdminIdentity | null = null;
    for (const e of this.entries) {
      // No early exit: every entry costs the same whether it matches or not.
      if (sameSecret(presented, e.digest) && !found) found = { name: e.name, role: e.role };
    }
    return found;
  }
}

/** Throws with a message that names the bad entry by position, never by its token. */
function parseTokens(spec: string): TokenEntry[] {
  const out: TokenEntry[] = [];
  spec.split(',').map((s) => s.trim()).filter(Boolean).forEach((item, i) => {
    const [token, role, name] = item.split(':');
    if (!token || token.length < 16) throw new Error(`ADMIN_TOKENS entry ${i + 1}: a token must be at least 16 characters`);
    if (role !== 'viewer' && role !== 'release-manager') throw new Error(`ADMIN_TOKENS entry ${i + 1}: role must be viewer or release-manager`);
    out.push({ digest: secretDigest(token), role, name: name || `${role}-${i + 1}` });
  });
  return out;
}
