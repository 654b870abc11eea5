import { Controller, Get } from '@nestjs/common';
import { OpenRoute } from './sandbox-credential.guard';

/**
 * GET /livez: the process is up and serving HTTP. The one route without the frontend
 * credential, for a supervisor's or load balancer's probe; it starts nothing and tells nothing
 * (GET /healthz, which runs a real program in each pool, needs the credential).
 */
@Controller()
export class LivenessController {
  @Get('livez')
  @OpenRoute()
  live() {
    return { ok: true };
  }
}
