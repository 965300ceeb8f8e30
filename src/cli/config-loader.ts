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
