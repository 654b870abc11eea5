import { HttpException } from '@nestjs/common';
import { json } from 'express';
import type { Request, Response } from 'express';

/**
 * express.json with its failures as HttpExceptions carrying the admin API's body
 * ({statusCode, message}): a malformed body is a 400, an oversized one a 413, never an HTML page.
 */
export function readJsonBody(limit: string): (req: Request, res: Response) => Promise<void> {
  const parse = json({ limit });
  return (req, res) => new Promise((resolve, reject) => {
    parse(req, res, (err?: unknown) => {
      if (!err) return resolve();
      const e = err as { status?: number; message?: string; type?: string };
      const status = e.status && e.status >= 400 && e.status < 500 ? e.status : 400;
      const message = e.type === 'entity.too.large' ? `body too large (limit ${limit})` : `body is not valid JSON: ${e.message}`;
      reject(new HttpException({ statusCode: status, message }, status));
    });
  });
}
