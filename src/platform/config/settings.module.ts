import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Settings, playgroundSettings } from './settings';
import type { SettingSpec } from './settings.schema';

/**
 * The settings are read and validated when an application starts (a provider's factory), not
 * when this file is imported: a bad value stops start-up with every problem listed, and tests
 * can start apps with different environments in one process.
 */
@Global()
@Module({})
export class SettingsModule {
  /** The core settings plus those of the plugins the importing process registers. */
  static forRoot(pluginSettings: Record<string, SettingSpec> = {}): DynamicModule {
    return {
      module: SettingsModule,
      imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [playgroundSettings(pluginSettings)] })],
      providers: [Settings],
      exports: [Settings],
    };
  }
}
