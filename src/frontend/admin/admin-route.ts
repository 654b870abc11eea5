import type { ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Where the admin API lives. Every route registered under it is the admin door's to guard. */
export const ADMIN_API_PREFIX = '/admin/api';

/**
 * Whether the route Express matched for this request was registered under the admin prefix.
 * The registered pattern is asked, not the URL: /ADMIN/API/state and /admin/api/./state reach
 * the same handlers as /admin/api/state, so only the pattern says which door they came through.
 */
export function isAdminRoute(context: ExecutionContext): boolean {
  if (context.getType() !== 'http') return false;
  const route = context.switchToHttp().getRequest<Request>().route as { path?: string | string[] } | undefined;
  const paths = Array.isArray(route?.path) ? route.path : [route?.path ?? ''];
  return paths.some((p) => p === ADMIN_API_PREFIX || p.startsWith(`${ADMIN_API_PREFIX}/`) || p.startsWith(`${ADMIN_API_PREFIX}{`));
}
