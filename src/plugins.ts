import type { PlaygroundPlugin } from './plugin';

/** The one place where optional parts are registered. */
export const PLUGINS: PlaygroundPlugin[] = [];
