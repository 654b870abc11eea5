import type { SettingSpec } from '../platform/config/settings.schema';
import { settingSpecs } from '../platform/config/settings';
import { PLUGIN_SETTINGS as FRONTEND_PLUGIN_SETTINGS } from '../frontend/registered-plugins';
import { PLUGIN_SETTINGS as SANDBOX_PLUGIN_SETTINGS } from '../sandbox/registered-plugins';

/**
 * Every setting of both processes: the core table and each process's plugins' own. Only the
 * launcher, which starts both, needs the union (to keep the frontend's secrets from the sandbox).
 */
export function allSettingSpecs(): Record<string, SettingSpec> {
  return settingSpecs({ ...FRONTEND_PLUGIN_SETTINGS, ...SANDBOX_PLUGIN_SETTINGS });
}
