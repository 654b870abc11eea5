import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { Settings } from '../../platform/config/settings';
import { TokenBuckets } from './token-buckets';

const RATE_LIMITED = 'playground:rate-limited';

/**
 * Marks a costly public endpoint (a handler or a whole controller). The limit is the handler's,
 * found after routing, so every spelling Express routes to it (case, trailing slash) spends
 * the same budget.
 */
export const RateLimited = (): MethodDecorator & ClassDecorator => SetMetadata(RATE_LIMITED, true);

/**
 * One budget per client address across all rate-limited endpoints (RATE_LIMIT_PER_MINUTE);
 * past it 429 with Retry-After. The address is Express's req.ip, which honours TRUST_PROXY.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly buckets: TokenBuckets;

  constructor(private readonly reflector: Reflector, settings: Settings) {
    this.buckets = new TokenBuckets(settings.get('RATE_LIMIT_PER_MINUTE'));
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.reflector.getAllAndOverride<boolean>(RATE_LIMITED, [context.getHandler(), context.getClass()])) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const retryAfter = this.buckets.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (retryAfter === 0) return true;
    http.getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new HttpException(`Too many requests: at most ${this.buckets.perMinute} a minute; retry in ${retryAfter} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}
