import { CanActivate, createParamDecorator, ExecutionContext, HttpException, Injectable, Logger, OnModuleInit, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AdminIdentity, AdminRole, AdminTokens } from './admin-tokens';
import { bearerToken } from '../../platform/http/secret-digest';
import { isAdminRoute } from './admin-route';

declare module 'express-serve-static-core' {
  interface Request {
    admin?: AdminIdentity;
  }
}

const ROLE = 'admin:role';

/**
 * The role a handler (or a whole controller) needs. Without it, reads (GET, HEAD) need any
 * admin token and everything else needs a release manager's, so a change endpoint that forgets
 * the decorator is still closed to viewers.
 */
export const AdminRoleRequired = (role: AdminRole): MethodDecorator & ClassDecorator => SetMetadata(ROLE, role);

/** The signed-in admin of this request (set by AdminAuthGuard, which has run by then). */
export const Admin = createParamDecorator((_data: unknown, ctx: ExecutionContext): AdminIdentity => ctx.switchToHttp().getRequest<Request>().admin!);

const READS = new Set(['GET', 'HEAD']);

/** A refusal with the admin API's body ({statusCode, message}), which the admin UI shows. */
function refuse(status: number, message: string): HttpException {
  return new HttpException({ statusCode: status, message }, status);
}

/** The role a handler needs: its metadata, else by method. */
function requiredRole(reflector: Reflector, context: ExecutionContext, method: string): AdminRole {
  return reflector.getAllAndOverride<AdminRole | undefined>(ROLE, [context.getHandler(), context.getClass()]) ?? (READS.has(method) ? 'viewer' : 'release-manager');
}

/**
 * The admin API's door, registered by AdminModule for the whole application (APP_GUARD), so
 * every route under /admin/api, present or future, is behind a token whoever boots the module;
 * AdminNotFoundController routes the unknown ones here too. State changes need the
 * release-manager role, a JSON body and no foreign Origin; tokens travel only in the
 * Authorization header (never cookies), so another site cannot ride on a signed-in browser.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate, OnModuleInit {
  constructor(private readonly tokens: AdminTokens, private readonly reflector: Reflector) {}

  onModuleInit(): void {
    if (!this.tokens.configured) {
      new Logger('admin').warn('no ADMIN_TOKENS configured: every /admin/api request is refused. Set ADMIN_TOKENS="<token of 16+ chars>:release-manager:<name>" (comma-separate more).');
    }
  }

  canActivate(context: ExecutionContext): boolean {
    if (!isAdminRoute(context)) return true;
    const req = context.switchToHttp().getRequest<Request>();
    context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', 'no-store');
    if (!this.tokens.configured) throw refuse(401, 'the admin API is disabled: no ADMIN_TOKENS are configured on this server');
    const presented = bearerToken(req.headers.authorization);
    if (!presented) throw refuse(401, 'sign in: send Authorization: Bearer <admin token>');
    const who = this.tokens.identify(presented);
    if (!who) throw refuse(401, 'unknown admin token');
    if (requiredRole(this.reflector, context, req.method) === 'release-manager' && who.role !== 'release-manager') {
      throw refuse(403, `${who.name} is a viewer: only release managers may change anything`);
    }
    if (!READS.has(req.method)) {
      const origin = req.headers.origin;
      if (origin && origin !== `${req.protocol}://${req.headers.host}`) throw refuse(403, 'cross-site admin changes are refused');
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > 0 && !String(req.headers['content-type'] ?? '').includes('application/json')) {
        throw refuse(415, 'admin changes take a JSON body (Content-Type: application/json)');
      }
    }
    req.admin = who;
    return true;
  }
}
