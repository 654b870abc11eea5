import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SETTINGS, SettingName, SettingSpec } from './settings.schema';
import { PLUGINS } from '../plugins';

type Value<N extends SettingName> = (typeof SETTINGS)[N]['kind'] extends 'string' ? string
  : (typeof SETTINGS)[N]['kind'] extends 'bool' ? boolean : number;

export type SettingValues = { [N in SettingName]: Value<N> };

function parseOne(name: string, spec: SettingSpec, raw: string): string | number | boolean {
  switch (spec.kind) {
    case 'string':
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

/** The core settings and those of every registered plugin. */
export function allSettingSpecs(): Record<string, SettingSpec> {
  return Object.assign({}, SETTINGS, ...PLUGINS.map((p) => p.settings ?? {}));
}

/** Parses and checks every setting; throws one error listing every bad value. */
export function validateSettings(env: Record<string, unknown>): SettingValues {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(allSettingSpecs())) {
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

/** Typed, validated access to the settings (validated once, by ConfigModule at start-up). */
@Injectable()
export class Settings {
  private readonly values: SettingValues;

  constructor(config: ConfigService) {
    // ConfigService holds the validated values; re-validating here gives them their types.
    const raw: Record<string, unknown> = {};
    for (const name of Object.keys(allSettingSpecs())) raw[name] = config.get(name);
    this.values = validateSettings(raw);
  }

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
