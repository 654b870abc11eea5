import type { SettingSpec } from '../platform/config/settings.schema';
import type { ExecutionBackend } from './backends/execution-backend';
import type { BuildService } from './builder/build.service';
import type { SandboxClient } from './sandbox-client/sandbox-client';
import type { SandboxStatus } from './sandbox-client/sandbox-status';

/** What the frontend hands a plugin so it can add execution backends. */
export interface FrontendPluginContext {
  builds: BuildService;
  sandbox: SandboxClient;
  sandboxStatus: SandboxStatus;
  setting(name: string): string;
}

/**
 * The frontend half of an optional part of the system (today only the legacy NaCl runner): its
 * backends and the settings they read, plugged in through src/frontend/registered-plugins.ts so that
 * removing it is one deletion there (its sandbox half: src/sandbox/sandbox-plugin.ts).
 */
export interface FrontendPlugin {
  name: string;
  settings?: Record<string, SettingSpec>;
  /** Backends in order of preference for their role. */
  frontendBackends(ctx: FrontendPluginContext): ExecutionBackend[];
}
