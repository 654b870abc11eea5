import { All, HttpCode, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { plainError } from '../http/plain-error';
import { ReadBody, RequestOf } from '../http/request-body.pipe';
import { EditorPage } from '../editor/editor-page';
import { ShareService } from './share.service';
import { RateLimited } from '../http/rate-limit.guard';
import { queryRelease, ToolchainChoice } from '../toolchains/toolchain-choice';

/** What an ID can be; anything else cannot have been stored, and is "not found" like an unknown one. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * /share stores a snippet; /p/{id} shows it in the editor; /p/{id}.go gives it raw. The
 * answers' words are play.golang.org's, which clients show as they are.
 */
@Controller()
export class ShareController {
  constructor(private readonly shares: ShareService, private readonly page: EditorPage, private readonly toolchains: ToolchainChoice) {}

  @Post('share')
  @RateLimited()
  @HttpCode(200)
  async share(@RequestOf(ReadBody('SHARE_MAX_BYTES', { what: 'snippet', tooLarge: 'Snippet is too large' })) body: Buffer, @Req() req: Request, @Res() res: Response): Promise<void> {
    // A snippet belongs to no release (the editor reopens it with any): `backend` is only checked.
    this.toolchains.release(queryRelease(req));
    const id = await this.shares.save(body);
    res.type('text/plain').send(id);
  }

  /** Any other method (GET from a link, say), as play.golang.org answers it. */
  @All('share')
  shareNeedsPost(@Res() res: Response): void {
    plainError(res, 405, 'Requires POST');
  }

  @Get('p/:id')
  async show(@Param('id') param: string, @Query('download') download: string | undefined, @Res() res: Response): Promise<void> {
    const raw = param.endsWith('.go');
    const id = raw ? param.slice(0, -3) : param;
    const snippet = ID.test(id) ? await this.shares.find(id) : null;
    if (!snippet) {
      plainError(res, 404, 'Snippet not found');
      return;
    }
    if (!raw) {
      // The snippet is in the page itself, so it shows before (or without) any script.
      res.set('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(this.page.html(snippet.body.toString('utf8')));
      return;
    }
    if (download === 'true') res.set('Content-Disposition', `attachment; filename="${id}.go"`);
    res.type('text/plain; charset=utf-8').send(snippet.body);
  }
}
