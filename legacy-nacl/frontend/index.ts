import type { FrontendPlugin } from '../../src/frontend/frontend-plugin';
import type { ExecutionBackend } from '../../src/frontend/backends/execution-backend';
import { NACL_FRONTEND_SETTINGS } from './frontend-settings';
import { NaclAmd64p32Backend } from './nacl-amd64p32.backend';
import { NaclEmulatedBackend } from './nacl-emulated.backend';

/**
 * The legacy NaCl runner's frontend half: its backends, real and emulated. Registered in
 * src/frontend/registered-plugins.ts alone (its sandbox half in src/sandbox/registered-plugins.ts); after release
 * day, `git rm -r legacy-nacl/` and deleting those two lines retire it.
 */
export const legacyNaclFrontend: FrontendPlugin = {
  name: 'legacy-nacl',
  settings: NACL_FRONTEND_SETTINGS,
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
