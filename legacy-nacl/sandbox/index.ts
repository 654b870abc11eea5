import type { SandboxPlugin } from '../../src/sandbox/sandbox-plugin';
import { NACL_SANDBOX_SETTINGS } from './sandbox-settings';
import { legacySandboxRunners } from './sandbox-runners';

/**
 * The legacy NaCl runner's sandbox half: sel_ldr for real NaCl binaries, runc for the
 * emulation. Registered in src/sandbox/registered-plugins.ts alone (its frontend half in
 * src/frontend/registered-plugins.ts); after release day, `git rm -r legacy-nacl/` and deleting those two
 * lines retire it.
 */
export const legacyNaclSandbox: SandboxPlugin = {
  name: 'legacy-nacl',
  settings: NACL_SANDBOX_SETTINGS,
  sandboxRunners: legacySandboxRunners,
};
