import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Settings, validateSettings } from './settings';

@Global()
@Module({
  imports: [ConfigModule.forRoot({ ignoreEnvFile: true, validate: validateSettings })],
  providers: [Settings],
  exports: [Settings],
})
export class SettingsModule {}
