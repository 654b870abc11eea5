import type { SettingSpec } from '../platform/config/settings.schema';
import type { ExecutionBackend } from './backends/execution-backend';
import type { BuildService } from './build/build.service';
import type { SandboxClient } from './run/sandbox-client';
import type { SandboxStatus } from './run/sandbox-status';

/** What the frontend hands a plugin so it can add execution backends. */
export interface FrontendPluginContext {
  builds: BuildService;
  sandbox: SandboxClient;
  sandboxStatus: SandboxStatus;
  setting(name: string): string;
}

/**
 * The frontend half of an optional part of the system (today only the legacy NaCl runner): its
 * backends and the settings they read, plugged in through src/frontend/plugins.ts so that
 * removing it is one deletion there (its sandbox half: src/sandbox/plugin.ts).
 */
export interface FrontendPlugin {
  name: string;
  settings?: Record<string, SettingSpec>;
  /** Backends in order of preference for their role. */
  frontendBackends(ctx: FrontendPluginContext): ExecutionBackend[];
}
