import { Module } from '@nestjs/common';
import { BuildService } from '../build/build.service';
import { SandboxClient } from '../run/sandbox-client';
import { CompileService } from '../playground/compile.service';
import { BackendRegistry } from './backend-registry';

/** The execution backends and the shared way through them: build, run, decode. */
@Module({
  providers: [BuildService, SandboxClient, BackendRegistry, CompileService],
  exports: [BuildService, SandboxClient, BackendRegistry, CompileService],
})
export class ExecutionModule {}
