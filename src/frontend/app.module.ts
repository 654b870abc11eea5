import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RateLimitGuard } from './http/rate-limit.guard';
import { SettingsModule } from '../platform/config/settings.module';
import { PLUGIN_SETTINGS } from './registered-plugins';
import { MetricsModule } from '../platform/metrics/metrics.module';
import { DatabaseModule } from './db/database.module';
import { PlaygroundModule } from './playground/playground.module';
import { ShareModule } from './share/share.module';
import { EditorModule } from './editor/editor.module';
import { DualRunModule } from './dualrun/dual-run.module';
import { ReleaseModule } from './release/release.module';
import { AdminModule } from './admin/admin.module';
import { AdminUiModule } from './admin/admin-ui.module';
import { StatsModule } from './stats/stats.module';

/** The public frontend (default 127.0.0.1:8080). */
@Module({
  imports: [SettingsModule.forRoot(PLUGIN_SETTINGS), MetricsModule, DatabaseModule, StatsModule, PlaygroundModule, ShareModule, EditorModule, DualRunModule, ReleaseModule, AdminModule, AdminUiModule],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class AppModule {}
