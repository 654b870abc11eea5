import type { PlaygroundPlugin } from '../../src/frontend/plugin';
import type { ExecutionBackend } from '../../src/frontend/backends/execution-backend';
import { NACL_SETTINGS } from '../sandbox/settings';
import { legacySandboxRunners } from '../sandbox/sandbox-runners';
import { NaclAmd64p32Backend } from './nacl-amd64p32.backend';
import { NaclEmulatedBackend } from './nacl-emulated.backend';

/**
 * The legacy NaCl runner, real and emulated. Registered in src/plugins.ts alone; after release
 * day, `git rm -r legacy-nacl/` and deleting that one line retire it.
 */
export const legacyNaclPlugin: PlaygroundPlugin = {
  name: 'legacy-nacl',
  settings: NACL_SETTINGS,
  sandboxRunners: legacySandboxRunners,
  frontendBackends(ctx): ExecutionBackend[] {
    const real = new NaclAmd64p32Backend(ctx.setting('NACL_GOROOT'), ctx.builds, ctx.sandbox, ctx.sandboxStatus);
    const emulated = new NaclEmulatedBackend(ctx.setting('PLAYGROUND_GO'), ctx.builds, ctx.sandbox, ctx.sandboxStatus);
    switch (ctx.setting('LEGACY_BACKEND')) {
      case 'nacl-amd64p32': return [real];
      case 'nacl-emulated': return [emulated];
      case 'auto': return [real, emulated];
      default: throw new Error(`LEGACY_BACKEND must be auto, nacl-amd64p32 or nacl-emulated, not "${ctx.setting('LEGACY_BACKEND')}"`);
    }
  },
};
