import { z } from 'zod';
import { EXIT_OK, type CliIo } from './cli-io.js';
import { applyEnv, parseConfig, readConfigFile } from './config-loader.js';
import { configSchema } from './config-schema.js';
import { DEFAULT_CONFIG_PATH } from './package-root.js';

/** Key names whose values are secrets: never printed, whatever the config holds. */
const SECRET_KEY = /^(api[-_]?key|secret|private[-_]?key|password|passphrase|token|.*(secret|token|password|privatekey|apikey))$/i;

/** A copy of `value` with every secret-looking key's value replaced. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redactSecrets(v)]));
}

/**
 * `dnbot config print`: the effective configuration (file, environment toggles and every schema
 * default), as JSON. Keys come only from the environment, so none is here; anything named like a
 * secret is redacted all the same.
 * @throws ConfigError (exit 2) naming the field when the config is invalid.
 */
export function configPrint(f: { config?: string }, io: CliIo, env: Readonly<Record<string, string | undefined>> = process.env): number {
  const cfg = parseConfig(applyEnv(readConfigFile(f.config, DEFAULT_CONFIG_PATH), env));
  io.out(JSON.stringify(redactSecrets(cfg), null, 2));
  return EXIT_OK;
}

/** The config file's JSON Schema (draft 2020-12), for editors: what a file may hold, with defaults. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, title: 'dnbot configuration', description: 'config/default.json or the file given with --config; unknown keys are errors.' };
}

/** `dnbot config schema`: prints the JSON Schema. */
export function configSchemaCommand(io: CliIo): number {
  io.out(JSON.stringify(configJsonSchema(), null, 2));
  return EXIT_OK;
}
