import { HttpCode, Controller, Post, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Settings } from '../../platform/config/settings';
import { readBody } from '../../platform/http/read-body';
import { formValues } from '../http/form';
import { parseTxtar } from '../builder/txtar';
import { formatTxtar } from '../builder/txtar-format';
import { BackendRegistry } from '../backends/backend-registry';
import { FmtService, FormatError, ToolMissing } from './fmt.service';
import { BadProgramError } from '../builder/bad-program.error';
import { RateLimited } from '../http/rate-limit.guard';

/**
 * POST /fmt: form `body` (and `imports` to fix imports), from the body or the query string;
 * answers {"Body", "Error"}, a 200 whatever is wrong with the program, as play.golang.org does.
 */
@RateLimited()
@Controller()
export class FmtController {
  constructor(private readonly settings: Settings, private readonly fmt: FmtService, private readonly backends: BackendRegistry) {}

  @Post('fmt')
  @HttpCode(200)
  async format(@Req() req: Request, @Res() res: Response): Promise<void> {
    const form = formValues(req, await readBody(req, this.settings.get('COMPILE_MAX_BODY_BYTES'), 'request body', true));
    const body = form.get('body') ?? '';
    const fixImports = (form.get('imports') ?? '') !== '';
    if (body.trim() === '') {
      // No files at all, as play.golang.org splits a blank body: nothing to format.
      res.json({ Body: '', Error: '' });
      return;
    }
    const toolchain = this.backends.linuxAmd64.buildTarget()?.toolchain;
    if (!toolchain) throw new ServiceUnavailableException('no usable Go toolchain on this server (set PLAYGROUND_GO)');
    try {
      const out = await this.fmt.formatAll(toolchain, parseTxtar(body).files, fixImports);
      res.json({ Body: formatTxtar(out), Error: '' });
    } catch (e) {
      if (e instanceof FormatError || e instanceof BadProgramError) {
        res.json({ Body: '', Error: e.message });
        return;
      }
      if (e instanceof ToolMissing) throw new ServiceUnavailableException(e.message);
      throw e;
    }
  }
}
