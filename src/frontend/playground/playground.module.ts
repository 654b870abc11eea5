import { Module } from '@nestjs/common';
import { ExecutionModule } from '../backends/execution.module';
import { ControlModule } from '../control/control.module';
import { ShadowModule } from '../dualrun/shadow.module';
import { RouteService } from '../routing/route.service';
import { CompileController } from './compile.controller';
import { FmtController } from './fmt.controller';
import { VersionController } from './version.controller';
import { FmtService } from './fmt.service';
import { PlayMetrics } from './play-metrics';
import { ToolchainsModule } from '../toolchains/toolchains.module';

/** The public API of play.golang.org: /compile, /vet, /fmt, /version, /_ah/health. */
@Module({
  imports: [ExecutionModule, ControlModule, ShadowModule, ToolchainsModule],
  controllers: [CompileController, FmtController, VersionController],
  providers: [RouteService, FmtService, PlayMetrics],
  exports: [RouteService, PlayMetrics],
})
export class PlaygroundModule {}
