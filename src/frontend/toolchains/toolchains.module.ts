import { Module } from '@nestjs/common';
import { ExecutionModule } from '../backends/execution.module';
import { ToolchainChoice } from './toolchain-choice';

/** The Go releases one deployment serves side by side, and how a request picks one. */
@Module({ imports: [ExecutionModule], providers: [ToolchainChoice], exports: [ToolchainChoice] })
export class ToolchainsModule {}
