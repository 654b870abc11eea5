import { Module } from '@nestjs/common';
import { ExecutionModule } from '../backends/execution.module';
import { ControlModule } from '../control/control.module';
import { ReadinessService } from './readiness.service';
import { ReleaseDayService } from './release-day.service';

@Module({
  imports: [ExecutionModule, ControlModule],
  providers: [ReadinessService, ReleaseDayService],
  exports: [ReadinessService, ReleaseDayService],
})
export class ReleaseModule {}
