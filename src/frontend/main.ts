import 'reflect-metadata';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { Logger } from '@nestjs/common';
import { AppModule } from './app.module';
import { Settings } from '../platform/config/settings';
import { publicCors } from './http/cors.middleware';
import { PlainErrorsFilter } from './http/plain-errors.filter';
import { parseTrustProxy } from '../platform/http/trust-proxy';
import { OpsListener } from '../platform/metrics/ops-listener';
import { accessLog } from '../platform/logging/access-log';
import { jsonLogger, log } from '../platform/logging/json-log';

/** Entry point of the public frontend. */
export async function startFrontend() {
  // Bodies are read by each controller with its own limit and strict UTF-8 (see http/); the
  // admin API reads its JSON once its guard has let a request in (admin/).
  const app = await NestFactory.create(AppModule, {
    bodyParser: false,
    // JSON lines (platform/logging/); Nest keeps one logger per process, and this one is the same for every app.
    logger: jsonLogger,
    // A bad setting rejects with its message (the caller prints it and exits) instead of process.abort().
    abortOnError: false,
  });
  app.enableShutdownHooks();
  const settings = app.get(Settings);
  // req.ip (the rate limit's client) is then the address the outermost trusted proxy saw.
  app.getHttpAdapter().getInstance().set('trust proxy', parseTrustProxy(settings.get('TRUST_PROXY')));
  app.use(accessLog());
  app.use(publicCors);
  app.useGlobalFilters(new PlainErrorsFilter(app.get(HttpAdapterHost).httpAdapter));
  await app.listen(settings.get('FRONTEND_PORT'), settings.get('FRONTEND_HOST'));
  await app.get(OpsListener).listen(settings.get('FRONTEND_OPS_HOST'), settings.get('FRONTEND_OPS_PORT'));
  return app;
}

if (require.main === module) {
  startFrontend().then(
    async (app) => {
      process.send?.('listening'); // to the launcher (src/launcher/launch.ts), when it started this process
      new Logger('frontend').log(`listening on ${await app.getUrl()}; /metrics on ${await app.get(OpsListener).url()}`);
    },
    (e: Error) => {
      log.fatal({ context: 'frontend' }, `frontend failed to start: ${e.message}`);
      process.exit(1);
    },
  );
}
