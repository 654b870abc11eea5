import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { promises as fsp } from 'fs';
import { EditorPage, resolveExample, resolveStaticAsset } from './editor-page';

// Versioned asset URLs (?v=<content hash>, as the page writes them) never change content;
// bare ones may, so they are only kept briefly.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=300';

@Controller()
export class EditorController {
  constructor(private readonly page: EditorPage) {}

  @Get()
  index(@Res() res: Response): void {
    // Revalidated on every load (Express adds an ETag), so a new deployment's asset
    // versions reach browsers at once.
    res.set('Cache-Control', 'no-cache');
    res.type('text/html; charset=utf-8').send(this.page.html());
  }

  @Get('static/*path')
  async asset(
    @Param('path') segments: string | string[],
    @Query('v') version: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const relative = Array.isArray(segments) ? segments.join('/') : String(segments ?? '');
    const asset = resolveStaticAsset(relative);
    let body: Buffer | undefined;
    if (asset) {
      try {
        body = await fsp.readFile(asset.file);
      } catch {
        body = undefined;
      }
    }
    if (!asset || !body) {
      res.status(404).type('text/plain; charset=utf-8').send('Not found');
      return;
    }
    res.set('Cache-Control', typeof version === 'string' && version !== '' ? IMMUTABLE : SHORT);
    res.set('X-Content-Type-Options', 'nosniff');
    res.type(asset.contentType).send(body);
  }

  @Get('doc/play/:name')
  async example(@Param('name') name: string, @Res() res: Response): Promise<void> {
    // Part of the public API: its Access-Control-Allow-Origin comes from http/cors.middleware.ts.
    const file = resolveExample(name);
    let text: string | undefined;
    if (file) {
      try {
        text = await fsp.readFile(file, 'utf8');
      } catch {
        text = undefined;
      }
    }
    if (text === undefined) {
      res.status(404).type('text/plain; charset=utf-8').send('Example not found');
      return;
    }
    res.set('Cache-Control', 'public, max-age=3600');
    res.type('text/plain; charset=utf-8').send(text);
  }
}
