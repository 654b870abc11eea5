import { ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { plainError } from './plain-error';

/** Nest's own words for a path no route takes; Go's mux says "404 page not found". */
const NO_ROUTE = /^Cannot [A-Z]+ \//;

/** The admin UI and its API, in any spelling Express routes there (its routes match case-insensitively). */
const ADMIN = /^\/admin/i;

/**
 * The public API's errors as play.golang.org sends them: text/plain (see plainError), not
 * Nest's JSON. The admin API keeps JSON, which its UI reads. An error that is not an
 * HttpException is a 500 "Internal Server Error", logged here and not shown.
 */
@Catch()
export class PlainErrorsFilter extends BaseExceptionFilter {
  private readonly log = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (ADMIN.test(req.path) || res.headersSent) {
      super.catch(exception, host);
      return;
    }
    if (!(exception instanceof HttpException)) {
      this.log.error(`${req.method} ${req.path}: ${exception instanceof Error ? exception.stack ?? exception.message : String(exception)}`);
      plainError(res, 500, 'Internal Server Error');
      return;
    }
    const status = exception.getStatus();
    const message = messageOf(exception);
    plainError(res, status, status === 404 && NO_ROUTE.test(message) ? '404 page not found' : message);
  }
}

function messageOf(e: HttpException): string {
  const body = e.getResponse();
  if (typeof body === 'string') return body;
  const m = (body as { message?: unknown }).message;
  if (Array.isArray(m)) return m.join('; ');
  return typeof m === 'string' ? m : e.message;
}
