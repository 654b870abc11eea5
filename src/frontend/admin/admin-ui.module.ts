import * as fs from 'fs';
import * as path from 'path';
import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { Response } from 'express';
import { projectRoot } from '../../platform/paths';

/** The admin UI's build (admin-ui/, built by scripts/setup.sh with Vite). */
const ADMIN_UI_DIST = path.join(projectRoot(), 'admin-ui', 'dist');

/**
 * Serves the admin single-page app under /admin. Client routes (/admin/flags, /admin/diffs/7,
 * ...) get index.html; /admin/api is excluded from that fallback, so its requests reach the
 * API's routes (all behind AdminAuthGuard, the unknown ones through its catch-all: a JSON 401,
 * or a JSON 404 past the guard). Missing assets are 404s too, never index.html.
 */
@Module({
  imports: [
    ServeStaticModule.forRoot({
      rootPath: ADMIN_UI_DIST,
      serveRoot: '/admin',
      exclude: ['/admin/api{/*rest}', '/admin/assets{/*rest}'],
      serveStaticOptions: {
        index: 'index.html',
        fallthrough: true,
        redirect: true,
        dotfiles: 'ignore',
        setHeaders(res: Response, file: string) {
          // Vite names assets by content hash; index.html must always be fetched afresh.
          if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
          else res.setHeader('Cache-Control', 'no-cache');
          res.setHeader('X-Content-Type-Options', 'nosniff');
          res.setHeader('Referrer-Policy', 'no-referrer');
          res.setHeader('X-Frame-Options', 'DENY');
        },
      },
    }),
  ],
})
export class AdminUiModule implements OnModuleInit {
  onModuleInit(): void {
    if (!fs.existsSync(path.join(ADMIN_UI_DIST, 'index.html'))) {
      new Logger('admin-ui').warn(`${ADMIN_UI_DIST}/index.html is missing: /admin shows 404 until the UI is built (scripts/setup.sh does it; or run: npx vite build admin-ui)`);
    }
  }
}
