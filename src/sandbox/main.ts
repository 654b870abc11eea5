import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from '@nestjs/common';
import { SandboxModule } from './sandbox.module';
import { Settings } from '../platform/config/settings';
import { RunService } from './run.service';
import { json } from 'express';
import { OpsListener } from '../platform/metrics/ops-listener';
import { accessLog } from '../platform/logging/access-log';
import { jsonLogger, log } from '../platform/logging/json-log';

/** Entry point of the sandbox backend (default 127.0.0.1:8081). */
export async function startSandbox(overrides: { port?: number } = {}) {
  // The body is a binary of up to 100 MiB, read by the controller itself with its own limit.
  const app = await NestFactory.create(SandboxModule, {
    bodyParser: false,
    // JSON lines (platform/logging/); Nest keeps one logger per process, and this one is the same for every app.
    logger: jsonLogger,
    // A bad setting rejects with its message (the caller prints it and exits) instead of process.abort().
    abortOnError: false,
  });
  app.enableShutdownHooks();
  // The request's id (the frontend's, from X-Request-Id) and an access line for every request.
  app.use(accessLog());
  // Only the small control routes take JSON; /run reads its binary body itself.
  app.use('/pools', json({ limit: '4kb' }));
  const settings = app.get(Settings);
  await app.listen(overrides.port ?? settings.get('SANDBOX_PORT'), settings.get('SANDBOX_HOST'));
  await app.get(OpsListener).listen(settings.get('SANDBOX_OPS_HOST'), settings.get('SANDBOX_OPS_PORT'));
  await app.get(RunService).start();
  return app;
}

if (require.main === module) {
  startSandbox().then(
    async (app) => {
      process.send?.('listening'); // to the launcher (src/launcher/launch.ts), when it started this process
      new Logger('sandbox').log(`listening on ${await app.getUrl()}; /metrics on ${await app.get(OpsListener).url()}`);
    },
    (e: Error) => {
      log.fatal({ context: 'sandbox' }, `sandbox backend failed to start: ${e.message}`);
      process.exit(1);
    },
  );
}
