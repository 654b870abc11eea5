import { Controller, HttpCode, HttpException, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RouteService, BACKEND_HEADER } from '../routing/route.service';
import { BackendRegistry } from '../backends/backend-registry';
import { ShadowQueue } from '../dualrun/shadow-queue';
import { PlayMetrics } from './play-metrics';
import { CompileService } from './compile.service';
import { CompileInput, CompileRequest, programOf } from './compile-request';
import { failureStatus } from './failure-status';
import { RateLimited } from '../http/rate-limit.guard';
import { plainError } from '../http/plain-error';
import { ToolchainChoice } from '../toolchains/toolchain-choice';

/**
 * POST /compile (and its deprecated twin /vet): route, then build, run and decode on the chosen
 * backend; answer; then hand the request to the shadow queue for a dual run.
 */
@RateLimited()
@Controller()
export class CompileController {
  constructor(
    private readonly routes: RouteService,
    private readonly backends: BackendRegistry,
    private readonly compiler: CompileService,
    private readonly shadows: ShadowQueue,
    private readonly metrics: PlayMetrics,
    private readonly toolchains: ToolchainChoice,
  ) {}

  @Post('compile')
  @HttpCode(200)
  compile(@CompileInput() input: CompileRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.handle(req, res, programOf(input), input.withVet, input.backend);
  }

  /** Deprecated twin of /compile: vets without running; the findings come back in Errors. */
  @Post('vet')
  @HttpCode(200)
  vet(@CompileInput() input: CompileRequest, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.handle(req, res, programOf(input), true, input.backend, true);
  }

  private async handle(req: Request, res: Response, body: string, withVet: boolean, release: string, vetOnly = false): Promise<void> {
    const header = req.headers[BACKEND_HEADER];
    const decision = this.routes.decide(body, Array.isArray(header) ? header[0] : header, this.toolchains.release(release));
    if (decision.kind === 'refuse') {
      plainError(res, decision.status, decision.message);
      return;
    }
    const backend = this.backends.get(decision.primary)!;
    res.setHeader('X-Playground-Backend', backend.id);
    res.setHeader('X-Playground-Route', decision.reason.replace(/[^\x20-\x7e]/g, '?'));
    if (backend.emulation) res.setHeader('X-Playground-Emulation', `${backend.id}: ${backend.label}`);
    const began = Date.now();
    const answered = this.shadows.beginPrimary();
    try {
      if (vetOnly) {
        res.json(await this.compiler.vetOnly(backend, body));
        return;
      }
      const result = await this.compiler.compile(backend, body, withVet);
      this.metrics.observe(backend.id, Date.now() - began, result.response.Errors ? 'error' : 'ok', result.cached);
      // The shadow is stored before the answer leaves: an answered request's shadow survives a crash.
      if (decision.shadow) await this.shadows.offer({ body, withVet, reason: decision.reason, primary: backend.id, shadow: decision.shadow, primaryResponse: result.response, primaryMs: Date.now() - began, clientAddress: req.ip });
      res.json(result.response);
      answered();
    } catch (e) {
      const status = failureStatus(e);
      this.metrics.observe(backend.id, Date.now() - began, 'failure', false);
      if (status === 0) throw e;
      throw new HttpException({ statusCode: status, message: (e as Error).message }, status);
    } finally {
      answered();
    }
  }
}
