import type { SettingSpec } from '../../src/platform/config/settings.schema';

/** The legacy backends' frontend-side settings; they go away with this folder. */
export const NACL_FRONTEND_SETTINGS: Record<string, SettingSpec> = {
  LEGACY_BACKEND: { kind: 'string', default: 'auto', description: 'which backend plays the legacy role: auto (real NaCl when configured, else the emulation), nacl-amd64p32 or nacl-emulated' },
  NACL_GOROOT: { kind: 'string', default: '', description: 'a Go ≤ 1.13 tree able to build GOOS=nacl GOARCH=amd64p32 (real legacy path; empty: not configured)' },
};
