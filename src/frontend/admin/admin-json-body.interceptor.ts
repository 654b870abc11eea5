import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { readJsonBody } from '../http/json-body';
import { isAdminRoute } from './admin-route';

const read = readJsonBody('64kb');

/**
 * Reads an admin request's JSON body (at most 64 kB). An interceptor runs after the guards, so
 * no byte of a body is read before AdminAuthGuard has let the request in; the frontend reads
 * every other body in its handlers, with their own limits (see http/).
 */
@Injectable()
export class AdminJsonBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!isAdminRoute(context)) return next.handle();
    const http = context.switchToHttp();
    return from(read(http.getRequest<Request>(), http.getResponse<Response>())).pipe(switchMap(() => next.handle()));
  }
}
