import { createWriteStream, openSync } from 'node:fs';
import ms from 'ms';
import { recordingHeader, recordingLine } from '../../adapters/replay/recorded-stream.js';
import { LiveClock, type Clock } from '../core/clock.js';
import { ConfigError, DnbotError, ErrorCodes } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { VenueBundle, VenueOpenOptions, VenueStateStore } from '../core/venue.js';
import { EXIT_OK, type CliIo } from './cli-io.js';
import { parseConfig, readConfigFile } from './config-loader.js';
import type { DnbotConfig } from './config-schema.js';
import { createLogger } from './pino-logger.js';
import { RECORD_VENUES } from './command-venues.js';
import { venueUnavailable } from './venue-unavailable.js';

export { RECORD_VENUES };

export interface RecordFlags {
  readonly venue: (typeof RECORD_VENUES)[number];
  /** Comma-separated: ETH,SOL (→ ETH-PERP, SOL-PERP) or our full symbols. */
  readonly symbols: string;
  readonly out: string;
  readonly duration?: string;
  readonly config?: string;
  readonly logLevel?: string;
}

export interface RecordDeps {
  readonly defaultConfigPath: string;
  readonly wall?: Clock;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
  /** Config object instead of a file (tests). */
  readonly config?: DnbotConfig;
  /** Resolves to stop early (Ctrl-C by default). */
  readonly stop?: Promise<void>;
}

/** ETH → ETH-PERP; full symbols pass through. */
export function recordSymbols(list: string): string[] {
  const syms = list.split(',').map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
  if (syms.length === 0) throw new ConfigError('--symbols', 'give at least one symbol, e.g. ETH,SOL', ErrorCodes.CLI_USAGE);
  return syms.map((s) => (s.includes('-') ? s : `${s}-PERP`));
}

/** An in-memory state port: recording places no orders. */
function scratchState(): VenueStateStore {
  const m = new Map<string, string>();
  return { get: (k) => m.get(k) ?? null, set: (k, v) => void m.set(k, v), list: (p) => [...m].filter(([k]) => k.startsWith(p)).sort().map(([key, value]) => ({ key, value })) };
}

/**
 * `dnbot record`: opens the venue's public streams (paper mode: no keys) and writes every book and
 * trade event as a JSON line stamped with its receive time (format: adapters/replay/recorded-stream.ts),
 * until --duration of wall time or Ctrl-C. `dnbot replay --data FILE` replays the file.
 */
export async function recordCommand(flags: RecordFlags, io: CliIo, deps: RecordDeps): Promise<number> {
  const symbols = recordSymbols(flags.symbols);
  let durationMs = Infinity;
  if (flags.duration !== undefined) {
    durationMs = ms(flags.duration as ms.StringValue);
    if (!(durationMs > 0)) throw new ConfigError('--duration', `expected a duration like 10m, got "${flags.duration}"`, ErrorCodes.CLI_USAGE);
  }
  const cfg = deps.config ?? parseConfig(readConfigFile(flags.config, deps.defaultConfigPath));
  // The file is opened before anything connects: a path we cannot write is an error naming it.
  let fd: number;
  try {
    fd = openSync(flags.out, 'w');
  } catch (err) {
    throw new DnbotError(ErrorCodes.DATA_FILE, `${flags.out}: cannot write: ${(err as Error).message}`, { file: flags.out });
  }
  const out = createWriteStream('', { fd, encoding: 'utf8' });
  let writeError: Error | null = null;
  out.on('error', (err) => {
    writeError = err; // e.g. disk full: ends the recording below
  });
  const wall = deps.wall ?? new LiveClock();
  const logger = deps.logger ?? createLogger({ level: flags.logLevel ?? 'info', pretty: io.stderrIsTty });
  const base = { mode: 'paper', symbols, logger: logger.child({ venue: flags.venue }), wall, env: deps.env ?? process.env, state: scratchState() } as const;
  const { openNado } = await import('../../adapters/nado/index.js');
  let bundle: VenueBundle;
  try {
    bundle = await openNado({ ...base, config: cfg.nado } satisfies VenueOpenOptions<DnbotConfig['nado']>);
  } catch (err) {
    out.destroy();
    throw venueUnavailable(flags.venue, err);
  }
  let stopped = false;
  const onSignal = (): void => {
    stopped = true;
  };
  const ownSignals = deps.stop === undefined;
  if (ownSignals) process.once('SIGINT', onSignal);
  void deps.stop?.then(onSignal);
  let written = 0;
  try {
    out.write(`${recordingHeader(flags.venue, wall.now(), bundle.source.instruments)}\n`);
    const end = wall.now() + durationMs;
    while (!stopped && writeError === null && wall.now() < end) {
      const ev = await bundle.source.next(Math.min(500, Math.max(1, end - wall.now())));
      if (ev === null) break;
      if (ev === 'idle') continue;
      if (!out.write(`${recordingLine(ev)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()).once('error', () => r()));
      written++;
    }
  } finally {
    if (ownSignals) process.removeListener('SIGINT', onSignal);
    await bundle.source.close();
    if (writeError === null) await new Promise<void>((r) => out.end(r));
    else out.destroy();
  }
  if (writeError !== null) {
    throw new DnbotError(ErrorCodes.DATA_FILE, `${flags.out}: write failed: ${(writeError as Error).message}`, { file: flags.out });
  }
  io.err(`recorded ${written} events from ${flags.venue} (${symbols.join(', ')}) to ${flags.out}`);
  return EXIT_OK;
}
