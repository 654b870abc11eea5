import { HttpCode, Controller, Post, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Settings } from '../config/settings';
import { readBody } from '../http/read-body';
import { parseForm } from '../http/form';
import { parseTxtar } from '../build/txtar';
import { formatTxtar } from '../build/txtar-format';
import { BackendRegistry } from '../backends/backend-registry';
import { FmtService, FormatError, ToolMissing } from './fmt.service';
import { BadRequestException } from '@nestjs/common';
import { BadProgramError } from '../build/bad-program.error';
import { RateLimited } from '../http/rate-limit.guard';

/** POST /fmt: form `body` (and `imports` to fix imports); answers {"Body", "Error"}. */
@RateLimited()
@Controller()
export class FmtController {
  constructor(private readonly settings: Settings, private readonly fmt: FmtService, private readonly backends: BackendRegistry) {}

  @Post('fmt')
  @HttpCode(200)
  async format(@Req() req: Request, @Res() res: Response): Promise<void> {
    const form = parseForm(await readBody(req, this.settings.get('COMPILE_MAX_BODY_BYTES'), 'request body'));
    const body = form.get('body') ?? '';
    const fixImports = (form.get('imports') ?? '') !== '';
    let files: Map<string, string>;
    try {
      files = parseTxtar(body).files;
    } catch (e) {
      if (e instanceof BadProgramError) throw new BadRequestException(e.message);
      throw e;
    }
    const toolchain = this.backends.modern.buildTarget()?.toolchain;
    if (!toolchain) throw new ServiceUnavailableException('no usable Go toolchain on this server (set PLAYGROUND_GO)');
    try {
      const out = await this.fmt.formatAll(toolchain, files, fixImports);
      res.json({ Body: formatTxtar(out), Error: '' });
    } catch (e) {
      if (e instanceof FormatError) {
        res.json({ Body: '', Error: e.message });
        return;
      }
      if (e instanceof ToolMissing) throw new ServiceUnavailableException(e.message);
      throw e;
    }
  }
}
