import type { SandboxPlugin } from './sandbox-plugin';
import { legacyNaclSandbox } from '../../legacy-nacl/sandbox';

/**
 * The one place where the sandbox service registers optional parts. Retiring NaCl after release
 * day: delete the line below and its import, the same in src/frontend/registered-plugins.ts, then
 * `git rm -r legacy-nacl/`.
 */
export const PLUGINS: SandboxPlugin[] = [legacyNaclSandbox];

/** The settings of the plugins registered here, which the sandbox service validates with its own. */
export const PLUGIN_SETTINGS = Object.assign({}, ...PLUGINS.map((p) => p.settings ?? {}));
