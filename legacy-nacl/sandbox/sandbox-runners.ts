import * as fs from 'fs';
import type { BinaryRunner } from '../../src/sandbox/binary-runner';
import { PooledContainerRunner } from '../../src/sandbox/pooled-runner';
import { EM_386, readElfIdent } from '../../src/sandbox/elf';
import type { SandboxPluginContext } from '../../src/sandbox/sandbox-plugin';
import { isNaclBinary } from './nacl-binary';
import { selLdrPrefix } from './sel-ldr';
import { mapNaclResult } from './nacl-result';
import { ensureNaclImage } from './nacl-image';
import { EMULATED_RUNNER, NACL_RUNNER } from '../runner-ids';
import { EmulationConfinement } from './emulation-confinement';

/** The sandbox side of the legacy role: sel_ldr for real NaCl binaries, runc for the emulation. */
export function legacySandboxRunners(ctx: SandboxPluginContext): BinaryRunner[] {
  const selLdr = ctx.setting('NACL_SEL_LDR');
  const naclImage = ctx.setting('NACL_IMAGE');
  let imageProblem: string | null = selLdr ? 'the NaCl image is not built yet' : null;
  const selLdrProblem = (): string | null => {
    if (!selLdr) return 'no NaCl loader configured: set NACL_SEL_LDR to a sel_ldr_x86_64 binary';
    if (!fs.existsSync(selLdr)) return `NACL_SEL_LDR=${selLdr} does not exist`;
    return imageProblem;
  };

  const nacl = new PooledContainerRunner(ctx.docker, {
    id: NACL_RUNNER,
    accepts: 'nacl/amd64p32 binaries (sel_ldr)',
    legacy: true,
    runtime: ctx.setting('NACL_RUNTIME'),
    image: naclImage,
    namePrefix: ctx.namePrefix,
    poolSize: ctx.poolSize,
    limits: ctx.limits,
    matches: isNaclBinary,
    loader: selLdrPrefix(),
    unavailableReason: selLdrProblem,
    mapResult: mapNaclResult,
    // Without a NaCl program of our own to run, health means: loader configured, image built.
    healthCheck: async () => {
      const why = selLdrProblem();
      if (why) throw new Error(why);
    },
  }, ctx.observer);
  if (selLdr && fs.existsSync(selLdr)) {
    ensureNaclImage(ctx.docker, ctx.image, selLdr, naclImage).then(
      () => { imageProblem = null; void nacl.start(); },
      (e: Error) => { imageProblem = `building ${naclImage} failed: ${e.message}`; },
    );
  }

  const confinement = new EmulationConfinement(Math.round(Number(ctx.setting('NACL_EMULATION_CPU_PERCENT')) * 1e7));
  const emulated = new PooledContainerRunner(ctx.docker, {
    id: EMULATED_RUNNER,
    accepts: 'linux/386 binaries (NaCl emulation, runc)',
    legacy: true,
    // runc, with the limits of every run plus a user of its own, a tight seccomp allowlist and a CPU quota.
    runtime: ctx.setting('NACL_EMULATION_RUNTIME'),
    confinement: () => confinement.take(),
    image: ctx.image,
    namePrefix: ctx.namePrefix,
    poolSize: Number(ctx.setting('NACL_EMULATION_POOL_SIZE')),
    limits: ctx.limits,
    matches: (b) => {
      const elf = readElfIdent(b);
      return elf !== null && elf.class === 32 && elf.machine === EM_386;
    },
  }, ctx.observer);
  return [nacl, emulated];
}
