import { Global, Module } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { OpsListener } from './ops-listener';

/**
 * Each application gets a registry of its own: tests run the sandbox and the frontend in one
 * process, and prom-client's global registry would mix (and reject) their metrics. The
 * registry is served by the operations listener, never on the application's own port.
 */
@Global()
@Module({
  providers: [{
    provide: Registry,
    useFactory: () => {
      const registry = new Registry();
      collectDefaultMetrics({ register: registry });
      return registry;
    },
  }, OpsListener],
  exports: [Registry, OpsListener],
})
export class MetricsModule {}
