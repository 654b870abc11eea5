import { BadRequestException, Controller, Get, HttpException, HttpStatus, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RunService, UnsupportedBinary } from './run.service';
import { NOT_STARTED_HEADER, SandboxBusy, SandboxDraining, SandboxFailure } from '../contract/run-result';
import { declaredLength, readBody, refuseDeclaredOver, repeatedHeader } from '../platform/http/read-body';

const MAX_ARGS = 32;
const MAX_ARG_LENGTH = 1024;

/** The sandbox's wire contract: POST /run with a binary, GET /healthz. */
@Controller()
export class RunController {
  constructor(private readonly runs: RunService) {}

  @Post('run')
  async run(@Req() req: Request, @Res() res: Response): Promise<void> {
    const args = repeatedHeader(req, 'X-Argument');
    if (args.length > MAX_ARGS || args.some((a) => a.length > MAX_ARG_LENGTH || a.includes('\0'))) {
      throw new BadRequestException(`at most ${MAX_ARGS} X-Argument headers of at most ${MAX_ARG_LENGTH} characters`);
    }
    // Size and room are checked before a byte of the body is read: the declared length first
    // (a body without one reserves the largest), then readBody's cap while it streams.
    const limit = this.runs.maxBinaryBytes;
    refuseDeclaredOver(req, limit, 'binary');
    let release: () => void;
    try {
      release = this.runs.admit(declaredLength(req) ?? limit);
    } catch (e) {
      // Refused before a byte of the binary was read: the frontend may send it to another host.
      res.setHeader(NOT_STARTED_HEADER, e instanceof SandboxDraining ? 'draining' : 'busy');
      throw this.httpError(e);
    }
    // A client that hangs up mid-run frees its container at once.
    const abort = new AbortController();
    res.on('close', () => { if (!res.writableFinished) abort.abort(); });
    try {
      const binary = await readBody(req, limit, 'binary');
      const r = await this.runs.run(binary, args, abort.signal);
      res.status(200).json({ // the contract says 200; Nest's default for a POST is 201
        ...(r.error ? { error: r.error } : {}),
        exitCode: r.exitCode,
        stdout: r.stdout.toString('base64'),
        stderr: r.stderr.toString('base64'),
        ...(r.timedOut ? { timedOut: true } : {}),
      });
    } catch (e) {
      if (abort.signal.aborted) return;
      throw this.httpError(e);
    } finally {
      release();
    }
  }

  @Get('healthz')
  async health(@Res() res: Response): Promise<void> {
    const runners = await Promise.all(this.runs.runners.map(async (r) => {
      const why = r.unavailableReason();
      if (why) return { id: r.id, accepts: r.accepts, available: false, reason: why };
      try {
        await r.healthCheck();
        return { id: r.id, accepts: r.accepts, available: true, ok: true };
      } catch (e) {
        return { id: r.id, accepts: r.accepts, available: true, ok: false, error: (e as Error).message };
      }
    }));
    const ok = runners.every((r) => !r.available || r.ok);
    res.status(ok ? 200 : 503).json({ ok, runners });
  }

  private httpError(e: unknown): Error {
    if (e instanceof HttpException) return e;
    if (e instanceof UnsupportedBinary) return new BadRequestException(e.message);
    if (e instanceof SandboxBusy) return new HttpException({ statusCode: 503, error: e.message }, HttpStatus.SERVICE_UNAVAILABLE);
    if (e instanceof SandboxFailure) return new HttpException({ statusCode: 503, error: `sandbox unavailable: ${e.message}` }, HttpStatus.SERVICE_UNAVAILABLE);
    return e as Error;
  }
}
