import type { NextFunction, Request, Response } from 'express';
import { AdminIdentity, AdminTokens } from './admin-tokens';
import { bearerToken } from '../../platform/http/secret-digest';

declare module 'express-serve-static-core' {
  interface Request {
    admin?: AdminIdentity;
  }
}

const READS = new Set(['GET', 'HEAD']);

function refuse(res: Response, status: number, message: string): void {
  res.status(status).json({ statusCode: status, message });
}

/**
 * Mounted on the /admin/api prefix itself, so every route under it, present or future, known
 * or unknown, is behind a token: nothing to remember per controller. State changes need the
 * release-manager role, a JSON body and no foreign Origin; tokens travel only in the
 * Authorization header (never cookies), so another site cannot ride on a signed-in browser.
 */
export function adminAuth(tokens: AdminTokens) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('Cache-Control', 'no-store');
    if (!tokens.configured) return refuse(res, 401, 'the admin API is disabled: no ADMIN_TOKENS are configured on this server');
    const presented = bearerToken(req.headers.authorization);
    if (!presented) return refuse(res, 401, 'sign in: send Authorization: Bearer <admin token>');
    const who = tokens.identify(presented);
    if (!who) return refuse(res, 401, 'unknown admin token');
    if (!READS.has(req.method)) {
      if (who.role !== 'release-manager') return refuse(res, 403, `${who.name} is a viewer: only release managers may change anything`);
      const origin = req.headers.origin;
      if (origin && origin !== `${req.protocol}://${req.headers.host}`) return refuse(res, 403, 'cross-site admin changes are refused');
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > 0 && !String(req.headers['content-type'] ?? '').includes('application/json')) {
        return refuse(res, 415, 'admin changes take a JSON body (Content-Type: application/json)');
      }
    }
    req.admin = who;
    next();
  };
}
