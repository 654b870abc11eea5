import { Module } from '@nestjs/common';
import { ShadowQueue } from './shadow-queue';

/** The queue alone, so /compile can feed it without depending on the dual-run machinery. */
@Module({ providers: [ShadowQueue], exports: [ShadowQueue] })
export class ShadowModule {}
