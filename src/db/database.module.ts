import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Settings } from '../config/settings';
import { databaseOptions } from './database-options';
import { Transactions } from './transactions';

/** Global: every service that writes goes through the one Transactions queue. */
@Global()
@Module({
  imports: [TypeOrmModule.forRootAsync({
    inject: [Settings],
    useFactory: (s: Settings) => databaseOptions(s.get('DATABASE_PATH')),
  })],
  providers: [Transactions],
  exports: [Transactions],
})
export class DatabaseModule {}
