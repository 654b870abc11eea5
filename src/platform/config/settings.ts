import { Inject, Injectable } from '@nestjs/common';
import { registerAs } from '@nestjs/config';
import { SETTINGS, SettingName, SettingSpec } from './settings.schema';

type Value<N extends SettingName> = (typeof SETTINGS)[N]['kind'] extends 'string' ? string
  : (typeof SETTINGS)[N]['kind'] extends 'bool' ? boolean : number;

export type SettingValues = { [N in SettingName]: Value<N> };

function parseOne(name: string, spec: SettingSpec, raw: string): string | number | boolean {
  switch (spec.kind) {
    case 'string':
      if (spec.choices && !spec.choices.includes(raw)) throw new Error(`${name}: expected one of ${spec.choices.join(', ')}, got "${raw}"`);
      try {
        spec.check?.(raw);
      } catch (e) {
        throw new Error(`${name}: ${(e as Error).message}`);
      }
      return raw;
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off|)$/i.test(raw)) return false;
      throw new Error(`${name}: expected true or false, got "${raw}"`);
    case 'int':
    case 'percent': {
      const n = Number(raw);
      const ok = spec.kind === 'int' ? Number.isInteger(n) : Number.isFinite(n);
      if (raw.trim() === '' || !ok) throw new Error(`${name}: expected a ${spec.kind === 'int' ? 'whole number' : 'number'}, got "${raw}"`);
      const min = spec.min ?? (spec.kind === 'percent' ? 0 : -Infinity);
      const max = spec.max ?? (spec.kind === 'percent' ? 100 : Infinity);
      if (n < min || n > max) throw new Error(`${name}: ${n} is outside ${min}..${max}`);
      return n;
    }
  }
}

/**
 * The core settings and a process's plugins' own (each process passes those of the plugins it
 * registers: this folder knows no plugin).
 */
export function settingSpecs(pluginSettings: Record<string, SettingSpec> = {}): Record<string, SettingSpec> {
  return { ...SETTINGS, ...pluginSettings };
}

/** Parses and checks every setting; throws one error listing every bad value. */
export function validateSettings(env: Record<string, unknown>, pluginSettings: Record<string, SettingSpec> = {}): SettingValues {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(settingSpecs(pluginSettings))) {
    const raw = env[name];
    try {
      out[name] = parseOne(name, spec, raw === undefined ? spec.default : String(raw));
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length) throw new Error(`invalid settings:\n  ${problems.join('\n  ')}`);
  return out as SettingValues;
}

/** The validated settings as a @nestjs/config namespace, built when an app starts. */
export function playgroundSettings(pluginSettings: Record<string, SettingSpec> = {}) {
  return registerAs('playground', () => validateSettings(process.env, pluginSettings));
}
const SETTINGS_KEY = playgroundSettings().KEY;

/** Typed access to the validated settings. */
@Injectable()
export class Settings {
  constructor(@Inject(SETTINGS_KEY) private readonly values: SettingValues) {}

  get<N extends SettingName>(name: N): SettingValues[N] {
    return this.values[name];
  }

  /** A plugin's setting, by name, as validated (plugins' names are not known to the type). */
  any(name: string): string | number | boolean {
    const v = (this.values as Record<string, string | number | boolean>)[name];
    if (v === undefined) throw new Error(`unknown setting ${name}`);
    return v;
  }
}
