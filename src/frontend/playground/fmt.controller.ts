import { HttpCode, Controller, Post, Res, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { parseTxtar } from '../builder/txtar';
import { formatTxtar } from '../builder/txtar-format';
import { ToolchainChoice } from '../toolchains/toolchain-choice';
import { FmtService, FormatError, ToolMissing } from './fmt.service';
import { BadProgramError } from '../builder/bad-program.error';
import { RateLimited } from '../http/rate-limit.guard';
import { FmtInput, FmtRequest } from './fmt-request';

/**
 * POST /fmt: form `body` (and `imports` to fix imports, `backend` for another Go release's
 * gofmt), from the body or the query string;
 * answers {"Body", "Error"}, a 200 whatever is wrong with the program, as play.golang.org does.
 */
@RateLimited()
@Controller()
export class FmtController {
  constructor(private readonly fmt: FmtService, private readonly toolchains: ToolchainChoice) {}

  @Post('fmt')
  @HttpCode(200)
  async format(@FmtInput() { body, imports, backend: release }: FmtRequest, @Res() res: Response): Promise<void> {
    const backend = this.toolchains.backendFor(release);
    const fixImports = imports !== '';
    if (body.trim() === '') {
      // No files at all, as play.golang.org splits a blank body: nothing to format.
      res.json({ Body: '', Error: '' });
      return;
    }
    const toolchain = backend.buildTarget()?.toolchain;
    if (!toolchain) throw new ServiceUnavailableException(`no usable Go toolchain for ${backend.id}: ${backend.availability().reason ?? 'set PLAYGROUND_GO'}`);
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
