import { existsSync, readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { configSchema, type DnbotConfig } from './config-schema.js';

/** Turns the first zod issue into a ConfigError naming the field and what is allowed. */
export function toConfigError(err: z.ZodError, prefix = ''): ConfigError {
  const issue = err.issues[0];
  if (!issue) return new ConfigError(prefix || 'config', 'invalid');
  const keys = issue.code === 'unrecognized_keys' ? [issue.keys[0] ?? ''] : [];
  const path = [...(prefix ? [prefix] : []), ...issue.path.map(String), ...keys].filter((p) => p !== '').join('.');
  const message = issue.code === 'unrecognized_keys' ? 'unknown key (config is strict)' : issue.message;
  return new ConfigError(path || 'config', message);
}

/** Validates a raw object (file contents merged with flags). */
export function parseConfig(raw: unknown): DnbotConfig {
  const r = configSchema.safeParse(raw);
  if (!r.success) throw toConfigError(r.error);
  return r.data;
}

/**
 * Reads a JSON config file; a missing explicit file is an error, a missing default file is `{}`.
 * @throws ConfigError naming the file when it cannot be read or parsed.
 */
export function readConfigFile(path: string | undefined, defaultPath: string): Record<string, unknown> {
  const file = path ?? defaultPath;
  if (!existsSync(file)) {
    if (path !== undefined) throw new ConfigError('--config', `file not found: ${path}`);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError('--config', `${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('--config', `${file} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Environment settings that config may override: `ADAPTIVE_LEVERAGE_ENABLED` (seed 004) sets
 * `exitBrain.enabled` unless the config file sets it.
 * @throws ConfigError naming the variable when its value is not a boolean.
 */
export function applyEnv(raw: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const v = env['ADAPTIVE_LEVERAGE_ENABLED'];
  if (v === undefined || v === '') return raw;
  const parsed = /^(true|1|yes|on)$/i.test(v) ? true : /^(false|0|no|off)$/i.test(v) ? false : null;
  if (parsed === null) throw new ConfigError('ADAPTIVE_LEVERAGE_ENABLED', `expected true or false, got "${v}"`);
  const exitBrain = (raw['exitBrain'] ?? {}) as Record<string, unknown>;
  if (typeof exitBrain !== 'object' || exitBrain === null || 'enabled' in exitBrain) return raw;
  return { ...raw, exitBrain: { ...exitBrain, enabled: parsed } };
}
