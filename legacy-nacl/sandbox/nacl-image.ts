import type Docker from 'dockerode';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SEL_LDR_IN_IMAGE } from './sel-ldr';

/**
 * Builds the legacy image: the sandbox image plus the operator's sel_ldr. Built locally (no
 * registry), once per start when missing; the loader's absence leaves the path unavailable.
 */
export async function ensureNaclImage(docker: Docker, baseImage: string, selLdr: string, tag: string): Promise<void> {
  try {
    await docker.getImage(tag).inspect();
    return;
  } catch {
    /* not built yet */
  }
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'nacl-image-'));
  try {
    fs.copyFileSync(selLdr, path.join(ctx, 'sel_ldr_x86_64'));
    fs.chmodSync(path.join(ctx, 'sel_ldr_x86_64'), 0o755);
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${baseImage}\nCOPY sel_ldr_x86_64 ${SEL_LDR_IN_IMAGE}\n`);
    const stream = await docker.buildImage({ context: ctx, src: ['Dockerfile', 'sel_ldr_x86_64'] }, { t: tag });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) => {
        const failed = err ?? out.find((o) => o.error);
        if (failed) reject(new Error(failed instanceof Error ? failed.message : failed.error));
        else resolve();
      }));
  } finally {
    fs.rmSync(ctx, { recursive: true, force: true });
  }
}
