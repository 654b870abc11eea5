import { HttpCode, BadRequestException, Controller, Get, HttpException, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Settings } from '../config/settings';
import { readBody } from '../http/read-body';
import { EditorPage } from '../editor/editor-page';
import { ShareService } from './share.service';
import { RateLimited } from '../http/rate-limit.guard';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** /share stores a snippet; /p/{id} shows it in the editor; /p/{id}.go gives it raw. */
@Controller()
export class ShareController {
  constructor(private readonly shares: ShareService, private readonly settings: Settings, private readonly page: EditorPage) {}

  @Post('share')
  @RateLimited()
  @HttpCode(200)
  async share(@Req() req: Request, @Res() res: Response): Promise<void> {
    const limit = this.settings.get('SHARE_MAX_BYTES');
    let body: Buffer;
    try {
      body = await readBody(req, limit, 'snippet');
    } catch (e) {
      // The contract's exact wording, which clients show as is.
      if (e instanceof HttpException && e.getStatus() === 413) {
        res.status(413).type('text/plain').send('Snippet is too large');
        return;
      }
      throw e;
    }
    const id = await this.shares.save(body);
    res.type('text/plain').send(id);
  }

  @Get('p/:id')
  async show(@Param('id') param: string, @Query('download') download: string | undefined, @Res() res: Response): Promise<void> {
    const raw = param.endsWith('.go');
    const id = raw ? param.slice(0, -3) : param;
    if (!ID.test(id)) throw new BadRequestException('malformed snippet ID');
    const snippet = await this.shares.find(id);
    if (!snippet) {
      // Plain text, as play.golang.org answers (and as the 413 above).
      res.status(404).type('text/plain; charset=utf-8').send('Snippet not found');
      return;
    }
    if (!raw) {
      res.set('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(this.page.html());
      return;
    }
    if (download === 'true') res.set('Content-Disposition', `attachment; filename="${id}.go"`);
    res.type('text/plain; charset=utf-8').send(snippet.body);
  }
}
