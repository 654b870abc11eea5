import { Module } from '@nestjs/common';
import { ControlModule } from '../control/control.module';
import { ShadowQueue } from './shadow-queue';
import { ShadowJobStore } from './shadow-job.store';
import { ClientKeys } from './client-keys.service';

/** The queue alone, so /compile can feed it without depending on the dual-run machinery. */
@Module({ imports: [ControlModule], providers: [ShadowQueue, ShadowJobStore, ClientKeys], exports: [ShadowQueue, ShadowJobStore] })
export class ShadowModule {}
