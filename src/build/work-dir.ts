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
 * Removes a request's directory behind its answer. A child of the go command may still be
 * writing there (its telemetry uploader outlives it), so the removal is retried, and a
 * directory that stays is logged rather than turning a finished answer into a 500.
 */
export function removeWorkDir(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  } catch (e) {
    log.warn(`could not remove ${dir}: ${(e as Error).message}`);
  }
}
