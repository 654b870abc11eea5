import * as fs from 'fs';
import * as path from 'path';

let root: string | undefined;

/** The project's root folder, found from wherever this file runs (src/ under ts-jest, dist/src/ when built). */
export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = up;
  }
  return (root = dir);
}

/** The service's own state (caches, database, built helpers), never the user's home. */
export function varDir(): string {
  return process.env.PLAYGROUND_VAR_DIR || path.join(projectRoot(), 'var');
}
