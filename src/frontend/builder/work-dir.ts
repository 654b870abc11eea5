import { Logger } from '@nestjs/common';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const log = new Logger('work-dir');

/** A fresh private directory under the system temp dir for one request's go command. */
export function makeWorkDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/**
 * Removes a request's directory behind its answer. A build stopped at its time limit can leave
 * an overlay work directory of mode 0 in it, which is made accessible first; a directory that
 * stays anyway is logged rather than turning a finished answer into a 500.
 */
export function removeWorkDir(dir: string): void {
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  try {
    remove();
  } catch {
    try {
      unlock(dir);
      remove();
    } catch (e) {
      log.warn(`could not remove ${dir}: ${(e as Error).message}`);
    }
  }
}

function unlock(dir: string): void {
  try {
    fs.chmodSync(dir, 0o700);
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) unlock(path.join(dir, e.name));
  } catch {
    /* not ours, or gone */
  }
}
