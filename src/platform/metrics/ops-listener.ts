import { Controller, DynamicModule, Get, Header, INestApplication, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Registry } from 'prom-client';

@Controller()
class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

@Module({})
class OpsModule {
  static serving(registry: Registry): DynamicModule {
    return { module: OpsModule, controllers: [MetricsController], providers: [{ provide: Registry, useValue: registry }] };
  }
}

/**
 * The operations listener: GET /metrics of this process on an address and port of its own
 * (loopback by default), apart from the public port, so that no CORS or public route reaches
 * it. A small application of its own that lives and stops with the one it reports on.
 */
@Injectable()
export class OpsListener implements OnApplicationShutdown {
  private app?: INestApplication;

  constructor(private readonly registry: Registry) {}

  /** Starts listening; returns the listener's URL. */
  async listen(host: string, port: number): Promise<string> {
    // No logger option: Nest applies it to the whole process, and the levels given here silenced
    // the service's own log lines from this moment on.
    this.app = await NestFactory.create(OpsModule.serving(this.registry), { abortOnError: false });
    await this.app.listen(port, host);
    return this.url();
  }

  async url(): Promise<string> {
    if (!this.app) throw new Error('the operations listener is not listening');
    return (await this.app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.app?.close();
  }
}
