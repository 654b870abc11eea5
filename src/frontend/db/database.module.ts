import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Settings } from '../../platform/config/settings';
import { databaseOptions } from './database-options';
import { openDatabase } from './open-database';
import { Transactions } from './transactions';

/** Global: every service that writes goes through the one Transactions queue. */
@Global()
@Module({
  imports: [TypeOrmModule.forRootAsync({
    inject: [Settings],
    useFactory: (s: Settings) => databaseOptions({ path: s.get('DATABASE_PATH'), url: s.get('DATABASE_URL') }),
    dataSourceFactory: (options) => openDatabase(options!),
  })],
  providers: [Transactions],
  exports: [Transactions],
})
export class DatabaseModule {}
