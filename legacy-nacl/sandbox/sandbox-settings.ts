import type { SettingSpec } from '../../src/platform/config/settings.schema';

/** The legacy runners' sandbox-side settings; they go away with this folder. */
export const NACL_SANDBOX_SETTINGS: Record<string, SettingSpec> = {
  NACL_SEL_LDR: { kind: 'string', default: '', description: 'path of sel_ldr_x86_64 on the sandbox host, copied into the legacy image (empty: not configured)' },
  NACL_RUNTIME: { kind: 'string', default: 'runsc', description: 'Docker runtime for the real NaCl path (sel_ldr inside gVisor, as during the original transition)' },
  NACL_IMAGE: { kind: 'string', default: 'playground-sandbox-nacl:latest', description: 'image for the real NaCl path, built from SANDBOX_IMAGE plus the loader' },
  NACL_EMULATION_RUNTIME: { kind: 'string', default: 'runc', description: 'Docker runtime for the emulation\'s 32-bit binaries (gVisor cannot run them)' },
  NACL_EMULATION_POOL_SIZE: { kind: 'int', default: '1', min: 0, max: 64, description: 'warm containers of the emulation pool' },
  NACL_EMULATION_CPU_PERCENT: { kind: 'percent', default: '100', min: 1, description: 'CPU quota of one emulation run, in % of one core (it runs natively on the host kernel)' },
};
