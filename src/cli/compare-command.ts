import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparisonRow, formatComparison, type ComparisonRow } from '../metrics/run-comparison.js';
import type { RunSummary } from '../engine/run-summary.js';
import { Store } from '../store/store.js';
import { LiveClock, type Clock } from '../core/clock.js';
import { EXIT_OK, type CliIo } from './cli-io.js';
import { readConfigFile } from './config-loader.js';
import { DEFAULT_CONFIG_PATH, runCommand } from './run-command.js';
import type { ReplayInput } from './compose.js';

/** What every replay of a comparison or a band shares: the data, the window and the log level. */
export interface ReplayWindowFlags {
  readonly data: readonly string[];
  readonly from?: string;
  readonly to?: string;
  readonly logLevel?: string;
}

export interface CompareFlags extends ReplayWindowFlags {
  readonly a: string;
  readonly b: string;
  readonly json?: boolean;
  /** Replay each configuration over this many bridge paths plus the adverse one (a band). */
  readonly paths?: string;
}

/** Changes one replay of a band makes to its configuration. */
export interface ReplayOverrides {
  /** Merged over the configuration's `replay` block (`intrabar`, `pathSeed`). */
  readonly replay?: Record<string, unknown>;
  /** `--duration`. */
  readonly duration?: string;
}

/** Wall time between progress lines on stderr. */
const PROGRESS_EVERY_MS = 10_000;

/** One configuration's replay: its summary and the table's column. */
export interface CompareResult {
  readonly config: string;
  readonly summary: RunSummary;
  readonly row: ComparisonRow;
}

/** Parses `--data FILE[=SYMBOL]`. */
export function replayInputs(data: readonly string[]): ReplayInput[] {
  return data.map((d) => {
    const eq = d.lastIndexOf('=');
    return eq > 0 ? { path: d.slice(0, eq), symbol: d.slice(eq + 1) } : { path: d };
  });
}

/**
 * Runs one configuration in replay on a fresh SQLite file in its own temp folder, and reads it
 * back. `configPath` undefined: the default configuration.
 */
export async function replayOne(
  configPath: string | undefined,
  f: ReplayWindowFlags,
  io: CliIo,
  label: string,
  overrides: ReplayOverrides = {},
  clock: Clock = new LiveClock(),
): Promise<CompareResult> {
  const dir = mkdtempSync(join(tmpdir(), 'dnbot-compare-'));
  try {
    const raw = readConfigFile(configPath, DEFAULT_CONFIG_PATH);
    const replay = { ...((raw['replay'] as Record<string, unknown> | undefined) ?? {}), ...overrides.replay };
    if (f.from !== undefined) replay['from'] = f.from;
    if (f.to !== undefined) replay['to'] = f.to;
    const api = { ...((raw['api'] as Record<string, unknown> | undefined) ?? {}), enabled: false };
    const log = { ...((raw['log'] as Record<string, unknown> | undefined) ?? {}), level: f.logLevel ?? 'warn' };
    const cfgPath = join(dir, 'config.json');
    writeFileSync(cfgPath, JSON.stringify({ ...raw, replay, api, log }));
    const db = join(dir, 'replay.db');
    // The run prints its own summary line; the table is what the operator asked for.
    const quiet: CliIo = { out: () => undefined, err: (l) => io.err(l), stdoutIsTty: false, stderrIsTty: io.stderrIsTty };
    const started = clock.now();
    let nextLine = started;
    io.err(`compare: replaying ${label} (${configPath ?? 'default configuration'})…`);
    const onProgress = (p: { done: number; total: number }): void => {
      const now = clock.now();
      if (now < nextLine || p.total <= 0 || p.done <= 0) return;
      nextLine = now + PROGRESS_EVERY_MS;
      const elapsed = (now - started) / 1000;
      const eta = (elapsed * (p.total - p.done)) / p.done;
      io.err(`compare: ${label} ${((100 * p.done) / p.total).toFixed(0)}% of ${Math.round(p.total).toLocaleString('en-US')} market min, ETA ${Math.round(eta)} s`);
    };
    const flags = { config: cfgPath, db, json: true, ...(overrides.duration !== undefined ? { duration: overrides.duration } : {}) };
    const { summary } = await runCommand({ flags, command: 'replay', replay: replayInputs(f.data), io: quiet, handleSignals: false, onProgress });
    io.err(`compare: ${label} done in ${Math.round((clock.now() - started) / 1000)} s: ${summary.roundTrips} round trips, volume $${Math.round(summary.volumeUsd).toLocaleString('en-US')}`);
    const store = Store.open(db);
    try {
      const botIds = new Set(store.bots.list().map((b) => b.id));
      // Account equity is stored per bot; any one bot's series is the account's.
      const firstBot = [...botIds][0];
      const equity = firstBot === undefined ? [] : store.snapshots.equityHistory(firstBot);
      const total = summary.execution[0]?.total;
      const makerVolume = summary.execution.reduce((a, e) => a + (e.total.makerShare ?? 0) * e.total.volumeUsd, 0);
      const row = comparisonRow({
        volumeUsd: summary.volumeUsd,
        netBpsPerVolume: summary.execution.length === 1 ? (total?.netBpsPerVolume ?? null) : summary.volumeUsd > 0 ? (summary.realizedPnlUsd / summary.volumeUsd) * 1e4 : null,
        realizedPnlUsd: summary.realizedPnlUsd,
        startingEquityUsd: summary.startingEquityUsd,
        endingEquityUsd: summary.endingEquityUsd,
        makerShare: summary.volumeUsd > 0 ? makerVolume / summary.volumeUsd : null,
        roundTrips: summary.roundTrips,
        nonNegativeRoundTripShare: summary.execution.length === 1 ? (total?.nonNegativeRoundTripShare ?? null) : null,
        maxAbsNetDeltaUsd: summary.maxAbsNetDeltaUsd,
        neutrality: summary.neutrality,
        costs: summary.costs,
        equity,
      });
      return { config: configPath ?? DEFAULT_CONFIG_PATH, summary, row };
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `dnbot compare`: replays two configurations over the same candles, each on its own fresh temp
 * SQLite file, and prints them side by side (volume, net bps per volume, PnL, drawdown, Sharpe,
 * maker share, delta drift). `--json` prints `{ a, b }` with each run's summary and column.
 */
export async function compareCommand(f: CompareFlags, io: CliIo): Promise<number> {
  if (f.paths !== undefined) {
    const { compareBands } = await import('./replay-band.js');
    return compareBands(f, io);
  }
  // Progress goes to stderr, so stdout stays the table (or the one JSON object).
  const a = await replayOne(f.a, f, io, 'A');
  const b = await replayOne(f.b, f, io, 'B');
  if (f.json) {
    io.out(JSON.stringify({ a, b }));
    return EXIT_OK;
  }
  const s = a.summary;
  io.out(`replay ${s.marketStart ?? '-'} → ${s.marketEnd ?? '-'} (${f.data.length} files); A = ${f.a}, B = ${f.b}`);
  for (const line of formatComparison(a.row, b.row, ['A', 'B'])) io.out(line);
  return EXIT_OK;
}
