import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Settings, playgroundSettings } from './settings';

/**
 * The settings are read and validated when an application starts (a provider's factory), not
 * when this file is imported: a bad value stops start-up with every problem listed, and tests
 * can start apps with different environments in one process.
 */
@Global()
@Module({
  imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [playgroundSettings] })],
  providers: [Settings],
  exports: [Settings],
})
export class SettingsModule {}
