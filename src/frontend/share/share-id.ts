import { createHash } from 'node:crypto';

const SALT = 'Go playground salt\n';
const BASE_LENGTH = 11;

/**
 * The snippet ID play.golang.org derives from a body, so the same body shared here and there
 * gets the same ID. It is extended past 11 characters while it ends in `_`, because an ID
 * ending in `_` reads badly at the end of a URL that is pasted into prose.
 */
export function shareId(body: Buffer): string {
  const digest = createHash('sha256').update(SALT).update(body).digest('base64url');
  let length = BASE_LENGTH;
  while (length < digest.length && digest[length - 1] === '_') length++;
  return digest.slice(0, length);
}
