import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import type { Request } from 'express';

/**
 * Reads a raw request body while counting, so an oversized upload is refused as soon as it
 * passes the limit instead of after it was buffered whole.
 */
export async function readBody(req: Request, limit: number, what: string): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new PayloadTooLargeException(`${what} too large: ${declared} bytes exceeds the limit of ${limit}`);
  }
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
  if (size === 0) throw new BadRequestException(`empty ${what}`);
  return Buffer.concat(chunks, size);
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
