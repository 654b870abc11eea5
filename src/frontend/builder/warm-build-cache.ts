import 'reflect-metadata';
import { Settings, validateSettings } from '../../platform/config/settings';
import { PLUGIN_SETTINGS } from '../registered-plugins';
import { BackendRegistry } from '../backends/backend-registry';
import { SandboxClient } from '../sandbox-client/sandbox-client';
import { SandboxStatus } from '../sandbox-client/sandbox-status';
import { BuildService } from './build.service';
import { warmSharedCache } from './warm-up';

/**
 * The set-up's warm-up (scripts/setup.sh): every backend's target gets its shared build cache
 * filled, in the build sandbox, before the service takes its first request. Backends are
 * constructed, not started: nothing here listens or polls.
 */
async function main(): Promise<void> {
  const settings = new Settings(validateSettings(process.env, PLUGIN_SETTINGS));
  const builds = new BuildService(settings);
  const status = new SandboxStatus(settings);
  const registry = new BackendRegistry(settings, builds, new SandboxClient(settings, status), status);
  const log = (s: string): void => console.log(`[setup] ${s}`);
  for (const backend of registry.all) {
    const target = backend.buildTarget();
    if (!target) continue;
    const problem = await builds.checkSandbox(target.toolchain);
    if (problem) throw new Error(`the build sandbox does not work for ${backend.id}: ${problem}`);
    // All of std for the default toolchain only: another release or the emulation gets the usual packages.
    await warmSharedCache(builds.sandbox, target, backend === registry.linuxAmd64, log);
  }
}

main().catch((e: Error) => {
  console.error(`[setup] ERROR: ${e.message}`);
  process.exit(1);
});
