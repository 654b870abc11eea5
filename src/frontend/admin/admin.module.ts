import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ExecutionModule } from '../backends/execution.module';
import { ControlModule } from '../control/control.module';
import { DualRunModule } from '../dualrun/dual-run.module';
import { ShadowModule } from '../dualrun/shadow.module';
import { ReleaseModule } from '../release/release.module';
import { Settings } from '../../platform/config/settings';
import { DtoValidationPipe } from '../http/dto-validation.pipe';
import { AdminTokens } from './admin-tokens';
import { AdminAuthGuard } from './admin-auth.guard';
import { AdminJsonBodyInterceptor } from './admin-json-body.interceptor';
import { AdminStateController } from './admin-state.controller';
import { AdminDualRunsController } from './admin-dual-runs.controller';
import { AdminRulesController } from './admin-rules.controller';
import { AdminAuditController } from './admin-audit.controller';
import { AdminReleaseController } from './admin-release.controller';
import { AdminStatsController } from './admin-stats.controller';
import { AdminOpenApiController } from './admin-openapi.controller';
import { AdminVocabularyController } from './admin-vocabulary.controller';
import { AdminNotFoundController } from './admin-not-found.controller';

/**
 * /admin/api. The module brings its own door: AdminAuthGuard for every route under the prefix
 * (application-wide, so it covers a route under /admin/api wherever it is declared), the JSON
 * body read after it, and DTO validation; whoever boots this module gets the API closed.
 * AdminNotFoundController comes last: it takes the paths no admin route takes.
 */
@Module({
  imports: [ExecutionModule, ControlModule, DualRunModule, ShadowModule, ReleaseModule],
  controllers: [
    AdminStateController, AdminDualRunsController, AdminRulesController, AdminAuditController, AdminReleaseController, AdminStatsController,
    AdminVocabularyController,
    AdminOpenApiController,
    AdminNotFoundController,
  ],
  providers: [
    { provide: AdminTokens, inject: [Settings], useFactory: (s: Settings) => new AdminTokens(s.get('ADMIN_TOKENS')) },
    { provide: APP_GUARD, useClass: AdminAuthGuard },
    { provide: APP_INTERCEPTOR, useClass: AdminJsonBodyInterceptor },
    { provide: APP_PIPE, useClass: DtoValidationPipe },
  ],
  exports: [AdminTokens],
})
export class AdminModule {}
