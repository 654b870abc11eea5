import { Module } from '@nestjs/common';
import { ExecutionModule } from '../backends/execution.module';
import { ControlModule } from '../control/control.module';
import { ShadowModule } from './shadow.module';
import { DualRunService } from './dual-run.service';
import { DiffRulesService } from './diff-rules.service';

@Module({
  imports: [ExecutionModule, ControlModule, ShadowModule],
  providers: [DualRunService, DiffRulesService],
  exports: [DualRunService, DiffRulesService],
})
export class DualRunModule {}
