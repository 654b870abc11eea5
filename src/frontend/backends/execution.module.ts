import { Module } from '@nestjs/common';
import { BuildService } from '../builder/build.service';
import { SandboxClient } from '../sandbox-client/sandbox-client';
import { SandboxStatus } from '../sandbox-client/sandbox-status';
import { CompileService } from '../playground/compile.service';
import { BackendRegistry } from './backend-registry';

/** The execution backends and the shared way through them: build, run, decode. */
@Module({
  providers: [BuildService, SandboxClient, SandboxStatus, BackendRegistry, CompileService],
  exports: [BuildService, SandboxClient, SandboxStatus, BackendRegistry, CompileService],
})
export class ExecutionModule {}
