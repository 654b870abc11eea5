import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Settings } from '../config/settings';
import { databaseOptions } from './database-options';

@Module({
  imports: [TypeOrmModule.forRootAsync({
    inject: [Settings],
    useFactory: (s: Settings) => databaseOptions(s.get('DATABASE_PATH')),
  })],
})
export class DatabaseModule {}
