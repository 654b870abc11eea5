import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { Response } from 'express';
import { BackendRegistry } from '../backends/backend-registry';

/** GET /version and GET /_ah/health, as play.golang.org answers them. */
@Controller()
export class VersionController {
  constructor(private readonly backends: BackendRegistry) {}

  @Get('version')
  version() {
    const v = this.backends.modern.toolchainVersion();
    const m = /^go(\d+)\.(\d+)/.exec(v);
    const release = m ? `go${m[1]}.${m[2]}` : v;
    return { Version: v, Release: release, Name: m ? `Go ${m[1]}.${m[2]}` : v };
  }

  /** Builds (does not run) a hello program on the new backend. */
  @Get('_ah/health')
  @HttpCode(200)
  async health(@Res() res: Response): Promise<void> {
    const backend = this.backends.modern;
    const a = backend.availability();
    if (!a.available) {
      res.status(500).type('text/plain').send(`backend ${backend.id} unavailable: ${a.reason}`);
      return;
    }
    const hello = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n';
    try {
      const b = await backend.build({ files: new Map([['prog.go', hello]]), isTest: false, vet: false });
      if (b.ok) res.type('text/plain').send('ok');
      else res.status(500).type('text/plain').send(`health build failed: ${b.errors}`);
    } catch (e) {
      res.status(500).type('text/plain').send(`health build failed: ${(e as Error).message}`);
    }
  }
}
