import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { queryRelease, ToolchainChoice } from '../toolchains/toolchain-choice';
import { BackendRegistry } from '../backends/backend-registry';
import { SharedProbe } from './shared-probe';

/** How long one health build's answer serves every /_ah/health caller. */
const HEALTH_TTL_MS = 5000;

const HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n';

/** GET /version and GET /_ah/health, as play.golang.org answers them. */
@Controller()
export class VersionController {
  /** Public and unauthenticated: one build at a time for all callers, not one per request. */
  private readonly healthBuild: SharedProbe<{ status: number; text: string }>;

  constructor(private readonly backends: BackendRegistry, private readonly toolchains: ToolchainChoice) {
    this.healthBuild = new SharedProbe(HEALTH_TTL_MS, () => this.buildHello());
  }

  /** `?backend=goprev` asks about another Go release served here. */
  @Get('version')
  version(@Req() req: Request) {
    const v = this.toolchains.backendFor(queryRelease(req)).toolchainVersion();
    const m = /^go(\d+)\.(\d+)/.exec(v);
    const release = m ? `go${m[1]}.${m[2]}` : v;
    return { Version: v, Release: release, Name: m ? `Go ${m[1]}.${m[2]}` : v };
  }

  /**
   * Builds (does not run) a hello program on linux-amd64. Whether the backend is available
   * is cheap (the polled sandbox status) and checked every time; the build is shared.
   */
  @Get('_ah/health')
  async health(@Res() res: Response): Promise<void> {
    const backend = this.backends.linuxAmd64;
    const a = backend.availability();
    const { status, text } = a.available ? await this.healthBuild.get() : { status: 500, text: `backend ${backend.id} unavailable: ${a.reason}` };
    res.status(status).type('text/plain').send(text);
  }

  private async buildHello(): Promise<{ status: number; text: string }> {
    try {
      const b = await this.backends.linuxAmd64.build({ files: new Map([['prog.go', HELLO]]), isTest: false, vet: false });
      return b.ok ? { status: 200, text: 'ok' } : { status: 500, text: `health build failed: ${b.errors}` };
    } catch (e) {
      return { status: 500, text: `health build failed: ${(e as Error).message}` };
    }
  }
}
