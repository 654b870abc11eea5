import { Module } from '@nestjs/common';
import { SettingsModule } from './config/settings.module';
import { MetricsModule } from './metrics/metrics.module';
import { DatabaseModule } from './db/database.module';
import { PlaygroundModule } from './playground/playground.module';
import { ShareModule } from './share/share.module';
import { EditorModule } from './editor/editor.module';
import { DualRunModule } from './dualrun/dual-run.module';

/** The public frontend (default 127.0.0.1:8080). */
@Module({
  imports: [SettingsModule, MetricsModule, DatabaseModule, PlaygroundModule, ShareModule, EditorModule, DualRunModule],
})
export class AppModule {}
