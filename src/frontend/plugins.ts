import type { PlaygroundPlugin } from './plugin';
import { legacyNaclPlugin } from '../../legacy-nacl/frontend';

/**
 * The one place where optional parts are registered. Retiring NaCl after release day:
 * delete the line below and its import, then `git rm -r legacy-nacl/`.
 */
export const PLUGINS: PlaygroundPlugin[] = [legacyNaclPlugin];
