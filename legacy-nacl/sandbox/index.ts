import type { SandboxPlugin } from '../../src/sandbox/plugin';
import { NACL_SANDBOX_SETTINGS } from './sandbox-settings';
import { legacySandboxRunners } from './sandbox-runners';

/**
 * The legacy NaCl runner's sandbox half: sel_ldr for real NaCl binaries, runc for the
 * emulation. Registered in src/sandbox/plugins.ts alone (its frontend half in
 * src/frontend/plugins.ts); after release day, `git rm -r legacy-nacl/` and deleting those two
 * lines retire it.
 */
export const legacyNaclSandbox: SandboxPlugin = {
  name: 'legacy-nacl',
  settings: NACL_SANDBOX_SETTINGS,
  sandboxRunners: legacySandboxRunners,
};
