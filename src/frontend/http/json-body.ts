import { json } from 'express';
import type { NextFunction, Request, Response } from 'express';

/** express.json, but a malformed or oversized body gets a JSON 4xx rather than an HTML page. */
export function jsonBody(limit: string) {
  const parse = json({ limit });
  return (req: Request, res: Response, next: NextFunction): void => {
    parse(req, res, (err?: unknown) => {
      if (!err) return next();
      const e = err as { status?: number; message?: string; type?: string };
      const status = e.status && e.status >= 400 && e.status < 500 ? e.status : 400;
      res.status(status).json({ statusCode: status, message: e.type === 'entity.too.large' ? `body too large (limit ${limit})` : `body is not valid JSON: ${e.message}` });
    });
  };
}
