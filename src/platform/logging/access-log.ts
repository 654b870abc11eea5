import type { NextFunction, Request, Response } from 'express';
import { log } from './json-log';
import { REQUEST_ID_HEADER, requestIdFrom, withRequestId } from './request-id';

/** A path in a log line: never the query string (a token may be put there), never too long. */
function pathOf(req: Request): string {
  const url = req.originalUrl ?? req.url ?? '';
  const q = url.indexOf('?');
  return (q < 0 ? url : url.slice(0, q)).slice(0, 256);
}

/**
 * The first middleware of both processes: gives the request its id (a sane X-Request-Id it came
 * with, else a new one), answers with it, runs everything after with it (json-log adds it to
 * every line, the sandbox client sends it on), and writes one access line when the answer is
 * done or abandoned: method, path, status, duration, id. Never a header, a body or the query.
 */
export function accessLog() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const id = requestIdFrom(req.headers[REQUEST_ID_HEADER.toLowerCase()]);
    res.setHeader(REQUEST_ID_HEADER, id);
    const began = process.hrtime.bigint();
    res.once('close', () => {
      const line = {
        reqId: id,
        method: req.method,
        path: pathOf(req),
        status: res.statusCode,
        ms: Math.round(Number(process.hrtime.bigint() - began) / 1e4) / 100,
        ...(res.writableFinished ? {} : { abandoned: true }),
      };
      if (res.statusCode >= 500) log.error(line, 'request');
      else log.info(line, 'request');
    });
    withRequestId(id, next);
  };
}
