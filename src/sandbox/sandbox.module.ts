import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import Docker from 'dockerode';
import { SettingsModule } from '../platform/config/settings.module';
import { Settings } from '../platform/config/settings';
import { MetricsModule } from '../platform/metrics/metrics.module';
import { dockerProvider } from './docker.provider';
import { BINARY_RUNNERS, BinaryRunner } from './binary-runner';
import { SandboxMetrics } from './sandbox-metrics';
import { RunService } from './run.service';
import { RunController } from './run.controller';
import { PoolsController } from './pools.controller';
import { LivenessController } from './liveness.controller';
import { SandboxCredentialGuard } from './sandbox-credential.guard';
import { PooledContainerRunner } from './pooled-runner';
import { SandboxLimits } from './container-spec';
import { EM_X86_64, readElfIdent } from './elf';
import { GVISOR_RUNNER } from '../contract/sandbox-status';
import { PLUGINS, PLUGIN_SETTINGS } from './registered-plugins';
import { RunscEngine } from './runsc-engine';
import { varDir } from '../platform/paths';
import * as path from 'path';

function limitsFrom(s: Settings): SandboxLimits {
  return {
    memoryMb: s.get('SANDBOX_MEMORY_MB'),
    pidsLimit: s.get('SANDBOX_PIDS_LIMIT'),
    processLimit: s.get('SANDBOX_PROCESS_LIMIT'),
    tmpfsMb: s.get('SANDBOX_TMPFS_MB'),
    runTimeoutMs: s.get('SANDBOX_RUN_TIMEOUT_MS'),
    outputLimitBytes: s.get('SANDBOX_OUTPUT_LIMIT_BYTES'),
    maxBinaryBytes: s.get('SANDBOX_MAX_BINARY_BYTES'),
  };
}

/** Plugins' runners come first: they claim special binaries (NaCl) before the generic ELF check. */
function buildRunners(docker: Docker, s: Settings, metrics: SandboxMetrics): BinaryRunner[] {
  const limits = limitsFrom(s);
  const ctx = {
    docker, limits, observer: metrics,
    namePrefix: s.get('SANDBOX_CONTAINER_PREFIX'),
    poolSize: s.get('SANDBOX_POOL_SIZE'),
    image: s.get('SANDBOX_IMAGE'),
    setting: (name: string) => String(s.any(name)),
  };
  const cgroupParent = s.get('SANDBOX_CGROUP_PARENT');
  const engine = s.get('SANDBOX_ENGINE') === 'runsc'
    ? new RunscEngine({
      binary: s.get('SANDBOX_RUNSC_BINARY'),
      platform: s.get('SANDBOX_RUNSC_PLATFORM'),
      root: s.get('SANDBOX_RUNSC_ROOT'),
      rootfs: s.get('SANDBOX_ROOTFS') || path.join(varDir(), 'sandbox-rootfs'),
      cgroupParent: cgroupParent || 'playground-sandbox',
      limits,
    })
    : undefined;
  const gvisor = new PooledContainerRunner(docker, {
    id: GVISOR_RUNNER,
    accepts: 'linux/amd64 binaries (gVisor)',
    runtime: s.get('SANDBOX_RUNTIME'),
    image: ctx.image,
    namePrefix: ctx.namePrefix,
    poolSize: ctx.poolSize,
    idlePoolSize: Math.max(ctx.poolSize, s.get('SANDBOX_POOL_IDLE_SIZE')),
    engine,
    cgroupParent: cgroupParent || undefined,
    limits,
    matches: (b) => {
      const elf = readElfIdent(b);
      return elf !== null && elf.class === 64 && elf.machine === EM_X86_64;
    },
  }, metrics);
  return [...PLUGINS.flatMap((p) => p.sandboxRunners(ctx)), gvisor];
}

@Module({
  imports: [SettingsModule.forRoot(PLUGIN_SETTINGS), MetricsModule],
  controllers: [RunController, PoolsController, LivenessController],
  providers: [
    { provide: APP_GUARD, useClass: SandboxCredentialGuard },
    dockerProvider,
    SandboxMetrics,
    { provide: BINARY_RUNNERS, useFactory: buildRunners, inject: [Docker, Settings, SandboxMetrics] },
    RunService,
  ],
})
export class SandboxModule {}
