import type { FrontendPlugin } from './frontend-plugin';
import { legacyNaclFrontend } from '../../legacy-nacl/frontend';

/**
 * The one place where the frontend registers optional parts. Retiring NaCl after release day:
 * delete the line below and its import, the same in src/sandbox/registered-plugins.ts, then
 * `git rm -r legacy-nacl/`.
 */
export const PLUGINS: FrontendPlugin[] = [legacyNaclFrontend];

/** The settings of the plugins registered here, which the frontend validates with its own. */
export const PLUGIN_SETTINGS = Object.assign({}, ...PLUGINS.map((p) => p.settings ?? {}));
