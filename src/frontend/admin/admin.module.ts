import { Module } from '@nestjs/common';
import { ExecutionModule } from '../backends/execution.module';
import { ControlModule } from '../control/control.module';
import { DualRunModule } from '../dualrun/dual-run.module';
import { ShadowModule } from '../dualrun/shadow.module';
import { ReleaseModule } from '../release/release.module';
import { Settings } from '../../platform/config/settings';
import { AdminTokens } from './admin-tokens';
import { AdminStateController } from './admin-state.controller';
import { AdminDualRunsController } from './admin-dual-runs.controller';
import { AdminRulesController } from './admin-rules.controller';
import { AdminAuditController } from './admin-audit.controller';
import { AdminReleaseController } from './admin-release.controller';
import { AdminStatsController } from './admin-stats.controller';
import { AdminVocabularyController } from './admin-vocabulary.controller';

/** /admin/api: every route sits behind adminAuth, mounted on the prefix in main.ts. */
@Module({
  imports: [ExecutionModule, ControlModule, DualRunModule, ShadowModule, ReleaseModule],
  controllers: [AdminStateController, AdminDualRunsController, AdminRulesController, AdminAuditController, AdminReleaseController, AdminStatsController, AdminVocabularyController],
  providers: [{ provide: AdminTokens, inject: [Settings], useFactory: (s: Settings) => new AdminTokens(s.get('ADMIN_TOKENS')) }],
  exports: [AdminTokens],
})
export class AdminModule {}
