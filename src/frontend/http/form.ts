import { BadRequestException } from '@nestjs/common';
import type { Request } from 'express';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes bytes that must be UTF-8, refusing (400) instead of silently replacing bad bytes. */
export function strictUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new BadRequestException(`${what} is not valid UTF-8`);
  }
}

function percentDecode(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2b /* + */) out.push(0x20);
    else if (c === 0x25 /* % */ && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c & 0xff); // s is latin1-decoded bytes: one char per byte, no Buffer per char
  }
  return Buffer.from(out);
}

/**
 * Parses application/x-www-form-urlencoded at the byte level, so that invalid UTF-8 hidden in
 * percent-escapes is caught rather than turned into U+FFFD by URLSearchParams.
 */
function parseForm(raw: Buffer): Map<string, string> {
  const fields = new Map<string, string>();
  const text = raw.toString('latin1');
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = strictUtf8(percentDecode(eq < 0 ? part : part.slice(0, eq)), 'a form field name');
    if (!fields.has(name)) fields.set(name, strictUtf8(percentDecode(eq < 0 ? '' : part.slice(eq + 1)), `form field "${name}"`));
  }
  return fields;
}

/**
 * The form values of a request as Go's Request.FormValue sees them: a urlencoded body's
 * fields first, then the query string's. (A multipart body is not read: see the README's
 * compatibility table.)
 */
export function formValues(req: Request, raw: Buffer): Map<string, string> {
  const url = req.originalUrl ?? req.url ?? '';
  const q = url.indexOf('?');
  const values = q < 0 ? new Map<string, string>() : parseForm(Buffer.from(url.slice(q + 1), 'latin1'));
  if (isUrlencoded(req)) {
    for (const [k, v] of parseForm(raw)) values.set(k, v);
  }
  return values;
}

/** Whether the body is a urlencoded form, the one kind Go's ParseForm reads a body as. */
export function isUrlencoded(req: Request): boolean {
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded';
}
