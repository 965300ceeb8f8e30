import ms from 'ms';
import { ConfigError, ErrorCodes } from '../core/errors.js';

/** Flags shared by `run` and `replay`, as commander hands them over (strings). */
export interface RunFlags {
  config?: string;
  venue?: string;
  duration?: string;
  speed?: string;
  seed?: string;
  db?: string;
  json?: boolean;
  logLevel?: string;
  apiPort?: string;
  mode?: string;
  /** Confirms live trading (real orders, real money). */
  live?: boolean;
}

/** Venues `dnbot run` can trade; `replay` has its own command. */
export const RUN_VENUES = ['sim', 'nado', 'coinbase', 'drift'] as const;

const usage = (flag: string, msg: string): ConfigError => new ConfigError(flag, msg, ErrorCodes.CLI_USAGE);

/** Parses `6h`, `90m`, `30s`, `2d` into ms. @throws E_CLI_USAGE naming `flag` (`--duration`). */
export function parseDuration(text: string, flag = '--duration'): number {
  let v: number | undefined;
  try {
    v = ms(text as ms.StringValue);
  } catch {
    v = undefined; // ms throws on an empty string
  }
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw usage(flag, `expected a positive duration such as 30m, 6h or 2d, got "${text}"`);
  }
  return v;
}

/** `max` or a positive number. @throws E_CLI_USAGE naming `--speed`. */
export function parseSpeed(text: string): number | 'max' {
  if (text === 'max') return 'max';
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0) throw usage('--speed', `expected "max" or a number > 0, got "${text}"`);
  return v;
}

/** A non-negative integer seed. @throws E_CLI_USAGE naming `--seed`. */
export function parseSeed(text: string): number {
  // Digits only: Number('') and Number(' ') are 0, Number('0x10') is 16.
  const v = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(v) || v < 0 || v > 2_147_483_647) throw usage('--seed', `expected an integer in [0, 2147483647], got "${text}"`);
  return v;
}

/**
 * Applies flags over the config file's object; validation happens after, in the schema.
 * Live trading needs `--mode live` (or `mode: live` in the file) on a real venue AND `--live`.
 */
export function applyRunFlags(raw: Record<string, unknown>, f: RunFlags, command: 'run' | 'replay'): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  // A section flags write into must be an object in the file (an array or a number would be
  // spread into one and pass the schema silently).
  const section = (key: string): Record<string, unknown> => {
    const v = raw[key];
    if (v === undefined) return {};
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(key, `expected an object, got ${Array.isArray(v) ? 'an array' : JSON.stringify(v)}`);
    return { ...(v as Record<string, unknown>) };
  };
  // The file's own values when flags do not override them: only strings are venue or mode names.
  for (const key of ['venue', 'mode'] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== 'string') throw new ConfigError(key, `expected a string, got ${JSON.stringify(raw[key])}`);
  }
  const run = section('run');
  if (command === 'replay') {
    if (f.venue !== undefined && f.venue !== 'replay') throw usage('--venue', `replay runs on recorded data only, got "${f.venue}"`);
    out['venue'] = 'replay';
    out['mode'] = 'replay';
  } else {
    const venue = f.venue ?? (typeof raw['venue'] === 'string' ? raw['venue'] : 'sim');
    if (!(RUN_VENUES as readonly string[]).includes(venue)) {
      throw usage(f.venue !== undefined ? '--venue' : 'venue', `"${venue}" is not a venue dnbot run can trade; allowed: ${RUN_VENUES.join(', ')} (recorded data: dnbot replay)`);
    }
    const mode = f.mode ?? (typeof raw['mode'] === 'string' ? raw['mode'] : 'paper');
    if (mode !== 'paper' && mode !== 'live') throw usage(f.mode !== undefined ? '--mode' : 'mode', `expected paper or live, got "${mode}"`);
    if (mode === 'live' && venue === 'sim') throw usage('--mode', 'live trading needs a real venue (--venue nado, coinbase or drift); the simulated market is paper only');
    if (mode === 'live' && f.live !== true) throw usage('--live', 'live mode places real orders with real money: add --live to confirm');
    out['venue'] = venue;
    out['mode'] = mode;
  }
  if (f.duration !== undefined) run['durationMs'] = parseDuration(f.duration);
  if (f.speed !== undefined) run['speed'] = parseSpeed(f.speed);
  else if (command === 'replay' && run['speed'] === undefined) run['speed'] = 'max';
  out['run'] = run;
  if (f.seed !== undefined) out['seed'] = parseSeed(f.seed);
  if (f.db !== undefined) out['db'] = f.db;
  if (f.apiPort !== undefined) {
    const port = Number(f.apiPort);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw usage('--api-port', `expected a port number 0–65535 (0 picks a free port), got "${f.apiPort}"`);
    out['api'] = { ...section('api'), port };
  }
  if (f.logLevel !== undefined) out['log'] = { ...section('log'), level: f.logLevel };
  return out;
}
