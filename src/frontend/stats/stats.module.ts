import { Global, Module } from '@nestjs/common';
import { TrafficService } from './traffic.service';

/** Global: /compile records into it and the admin API reads it. */
@Global()
@Module({ providers: [TrafficService], exports: [TrafficService] })
export class StatsModule {}
