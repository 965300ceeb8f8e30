/**
 * `dnbot doctor --venue nado|coinbase|drift [--config FILE] [--json]`: runs the venue's check list
 * (config, keys by name, clock skew, connectivity, instruments, rate limits) and says what is
 * wrong in plain words. Exit 0 when every check passes, 1 otherwise; a bad config is a
 * ConfigError (exit 2) before any check runs.
 */
import { ConfigError, ErrorCodes } from '../core/errors.js';
import { LiveClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { EXIT_FAILURE, EXIT_OK, type CliIo } from './cli-io.js';
import { parseConfig, readConfigFile } from './config-loader.js';
import type { DnbotConfig } from './config-schema.js';
import { formatDoctor, type DoctorResult } from './doctor-checks.js';
import type { RealVenue } from './open-venue.js';
import { DOCTOR_VENUES } from './command-venues.js';

export { DOCTOR_VENUES };

export interface DoctorFlags {
  readonly venue: string;
  readonly config?: string;
  readonly json?: boolean;
  /** Check for live trading (keys required) although the config says paper. */
  readonly mode?: string;
}

export interface DoctorDeps {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly wall?: Clock;
  readonly logger?: Logger;
  /** Default config file when --config is not given. */
  readonly defaultConfigPath: string;
}

function symbolsOf(cfg: DnbotConfig): string[] {
  return [...new Set(cfg.bots.flatMap((b) => [b.dnPair.legA, b.dnPair.legB]))];
}

/** The venue's own check list, its adapter loaded only now (each SDK is heavy). */
async function venueChecks(venue: RealVenue, cfg: DnbotConfig, env: Readonly<Record<string, string | undefined>>, wall: Clock, logger: Logger): Promise<DoctorResult[]> {
  const live = cfg.mode === 'live';
  const symbols = symbolsOf(cfg);
  switch (venue) {
    case 'coinbase':
      return (await import('../../adapters/coinbase/coinbase-doctor.js')).coinbaseDoctorChecks({ config: cfg.coinbase, symbols, env, wall, logger, live });
    case 'nado':
      return (await import('../../adapters/nado/nado-doctor.js')).nadoDoctorChecks({ config: cfg.nado, symbols, env, wall, logger, live });
    case 'drift':
      return (await import('../../adapters/drift/index.js')).driftDoctorChecks({ config: cfg.drift, env, live });
  }
}

export async function doctorCommand(flags: DoctorFlags, io: CliIo, deps: DoctorDeps): Promise<number> {
  const venue = flags.venue as RealVenue;
  if (!DOCTOR_VENUES.includes(venue)) throw new ConfigError('--venue', `expected one of ${DOCTOR_VENUES.join(', ')}, got "${flags.venue}"`, ErrorCodes.CLI_USAGE);
  if (flags.mode !== undefined && flags.mode !== 'paper' && flags.mode !== 'live') throw new ConfigError('--mode', `expected paper or live, got "${flags.mode}"`, ErrorCodes.CLI_USAGE);
  // The venue checked is the one named, and `--mode live` checks what live trading needs.
  const raw = { ...readConfigFile(flags.config, deps.defaultConfigPath), venue, ...(flags.mode !== undefined ? { mode: flags.mode } : {}) };
  const cfg = parseConfig(raw);
  const env = deps.env ?? process.env;
  const wall = deps.wall ?? new LiveClock();
  const logger = deps.logger ?? silentLogger;
  const head: DoctorResult = {
    name: 'config file',
    ok: true,
    detail: `${flags.config ?? deps.defaultConfigPath} is valid; mode ${cfg.mode}; ${cfg.bots.length} bot(s) trading ${symbolsOf(cfg).join(', ')}`,
  };
  let results: DoctorResult[];
  try {
    results = [head, ...(await venueChecks(venue, cfg, env, wall, logger))];
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    results = [head, { name: 'checks', ok: false, detail: `the ${venue} checks could not run: ${e instanceof Error ? e.message : String(e)}` }];
  }
  const ok = results.every((r) => r.ok);
  if (flags.json) io.out(JSON.stringify({ venue, ok, results }));
  else for (const line of formatDoctor(venue, results)) io.out(line);
  return ok ? EXIT_OK : EXIT_FAILURE;
}
