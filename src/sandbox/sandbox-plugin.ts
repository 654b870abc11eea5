import type Docker from 'dockerode';
import type { SettingSpec } from '../platform/config/settings.schema';
import type { BinaryRunner } from './binary-runner';
import type { SandboxLimits } from './container-spec';
import type { PoolObserver } from './container-pool';

/** What the sandbox service hands a plugin so it can add runners for its own binary kinds. */
export interface SandboxPluginContext {
  docker: Docker;
  limits: SandboxLimits;
  namePrefix: string;
  poolSize: number;
  image: string;
  observer: PoolObserver;
  setting(name: string): string;
}

/**
 * The sandbox half of an optional part of the system (today only the legacy NaCl runner): its
 * runners and the settings they read, plugged in through src/sandbox/registered-plugins.ts so that
 * removing it is one deletion there (its frontend half: src/frontend/frontend-plugin.ts).
 */
export interface SandboxPlugin {
  name: string;
  settings?: Record<string, SettingSpec>;
  sandboxRunners(ctx: SandboxPluginContext): BinaryRunner[];
}
