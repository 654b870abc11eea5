import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import type { Request } from 'express';

/**
 * Reads a raw request body while counting, so an oversized upload is refused as soon as it
 * passes the limit instead of after it was buffered whole. An empty body is a 400 unless
 * `emptyOk` (a request whose fields may all be in the query string, an empty snippet).
 */
export async function readBody(req: Request, limit: number, what: string, emptyOk = false): Promise<Buffer> {
  refuseDeclaredOver(req, limit, what);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new PayloadTooLargeException(`${what} too large: more than the limit of ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  if (size === 0 && !emptyOk) throw new BadRequestException(`empty ${what}`);
  return Buffer.concat(chunks, size);
}

/** The body's length as its Content-Length declares it, or null (chunked). */
export function declaredLength(req: Request): number | null {
  const declared = Number(req.headers['content-length']);
  return req.headers['content-length'] !== undefined && Number.isFinite(declared) ? declared : null;
}

/** 413 before reading, when the declared length is already past the limit. */
export function refuseDeclaredOver(req: Request, limit: number, what: string): void {
  const declared = declaredLength(req);
  if (declared !== null && declared > limit) {
    req.resume();
    throw new PayloadTooLargeException(`${what} too large: ${declared} bytes exceeds the limit of ${limit}`);
  }
}

/** All values of a header that may repeat (Express would join them with ", "). */
export function repeatedHeader(req: Request, name: string): string[] {
  const lower = name.toLowerCase();
  const values: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i].toLowerCase() === lower) values.push(req.rawHeaders[i + 1]);
  }
  return values;
}
