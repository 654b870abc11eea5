import type Docker from 'dockerode';
import type { BinaryRunner } from '../sandbox/binary-runner';
import type { SandboxLimits } from '../sandbox/container-spec';
import type { PoolObserver } from '../sandbox/container-pool';
import type { SettingSpec } from '../platform/config/settings.schema';
import type { ExecutionBackend } from './backends/execution-backend';
import type { BuildService } from './build/build.service';
import type { SandboxClient } from './run/sandbox-client';
import type { SandboxStatus } from './run/sandbox-status';

/** What the sandbox backend hands a plugin so it can add runners for its own binary kinds. */
export interface SandboxPluginContext {
  docker: Docker;
  limits: SandboxLimits;
  namePrefix: string;
  poolSize: number;
  image: string;
  observer: PoolObserver;
  setting(name: string): string;
}

/** What the frontend hands a plugin so it can add execution backends. */
export interface FrontendPluginContext {
  builds: BuildService;
  sandbox: SandboxClient;
  sandboxStatus: SandboxStatus;
  setting(name: string): string;
}

/**
 * An optional part of the system (today only the legacy NaCl runner) that plugs its runners,
 * backends and settings in through src/plugins.ts, so that removing it is one deletion there.
 */
export interface PlaygroundPlugin {
  name: string;
  settings?: Record<string, SettingSpec>;
  sandboxRunners?(ctx: SandboxPluginContext): BinaryRunner[];
  /** Backends in order of preference for their role. */
  frontendBackends?(ctx: FrontendPluginContext): ExecutionBackend[];
}
