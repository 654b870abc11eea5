import { CanActivate, ExecutionContext, Injectable, Logger, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import * as net from 'net';
import { Settings } from '../platform/config/settings';
import { bearerToken, sameSecret, secretDigest } from '../platform/http/secret-digest';

const OPEN_ROUTE = 'sandbox:open-route';

/** A route anyone may call: only the cheap liveness probe, which tells nothing and costs nothing. */
export const OpenRoute = (): MethodDecorator => SetMetadata(OPEN_ROUTE, true);

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').replace(/^::ffff:/i, '');
  return h === 'localhost' || h === '::1' || (net.isIPv4(h) && h.startsWith('127.'));
}

/**
 * The frontend-to-sandbox hop: every route but @OpenRoute needs the shared secret
 * SANDBOX_TOKEN as a bearer token, compared by digest in constant time. A sandbox without one
 * is open to whoever can reach it, so it refuses to start on anything but loopback.
 */
@Injectable()
export class SandboxCredentialGuard implements CanActivate {
  private readonly digest: Buffer | null;

  constructor(private readonly reflector: Reflector, settings: Settings) {
    const token = settings.get('SANDBOX_TOKEN');
    const host = settings.get('SANDBOX_HOST');
    if (!token && !isLoopback(host)) {
      throw new Error(`SANDBOX_HOST=${host} is not a loopback address: set SANDBOX_TOKEN (16+ characters, the same for the frontend), or anyone who can reach the sandbox runs programs in it`);
    }
    if (!token) new Logger('sandbox').warn('no SANDBOX_TOKEN: the sandbox takes requests from anyone on this machine (npm start sets one per launch)');
    this.digest = token ? secretDigest(token) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.get<boolean>(OPEN_ROUTE, context.getHandler())) return true;
    if (!this.digest) return true;
    const presented = bearerToken(context.switchToHttp().getRequest<Request>().headers.authorization);
    if (presented && sameSecret(presented, this.digest)) return true;
    throw new UnauthorizedException('the sandbox takes requests from the frontend only: send Authorization: Bearer <SANDBOX_TOKEN>');
  }
}
