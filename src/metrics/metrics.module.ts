import { Controller, Get, Global, Header, Module } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Each application gets a registry of its own: tests run the sandbox and the frontend in one
 * process, and prom-client's global registry would mix (and reject) their metrics.
 */
@Controller()
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

@Global()
@Module({
  providers: [{
    provide: Registry,
    useFactory: () => {
      const registry = new Registry();
      collectDefaultMetrics({ register: registry });
      return registry;
    },
  }],
  controllers: [MetricsController],
  exports: [Registry],
})
export class MetricsModule {}
