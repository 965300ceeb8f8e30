import { DEFAULT_CONFIG_PATH } from './package-root.js';
import { LiveClock, type Clock } from '../core/clock.js';
import type { LiveMarketSource, MarketDataSource } from '../core/venue.js';
import { formatStatusBrief, formatStatusLine, formatUsd } from '../engine/status-line.js';
import type { StatusSnapshot } from '../engine/runtime.js';
import { summarizeRun, type RunSummary } from '../engine/run-summary.js';
import { utcDay } from '../core/utc-day.js';
import { ApiServer } from '../api/api-server.js';
import { resolveApiBinding } from '../api/api-binding.js';
import { RunProgress, boundedProgress, progressRate } from './run-progress.js';
import { apiHandlers } from './api-handlers.js';
import { compose, type Composed, type ReplayInput } from './compose.js';
import { runNotifications } from './run-notifications.js';
import type { FetchLike } from '../notify/notify-channels.js';
import { applyEnv, parseConfig, readConfigFile } from './config-loader.js';
import { EXIT_OK, type CliIo } from './cli-io.js';
import { createLogger, type LogSink } from './pino-logger.js';
import { applyRunFlags, type RunFlags } from './run-flags.js';

export { DEFAULT_CONFIG_PATH };

export interface RunCommandOptions {
  readonly flags: RunFlags;
  /** Which command: `run` (sim or a real venue) or `replay` (recorded candles). */
  readonly command: 'run' | 'replay';
  readonly replay?: readonly ReplayInput[];
  readonly io: CliIo;
  /** Test seam: wraps the market data source. */
  readonly wrapSource?: (s: MarketDataSource) => MarketDataSource;
  /** Environment (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Told the status API's port once it listens (null when disabled or the port was taken). */
  readonly onApiPort?: (port: number | null) => void;
  /** Installs Ctrl-C handling; tests pass false. */
  readonly handleSignals?: boolean;
  /** Told how far a replay is at each status tick, `--json` or not (`dnbot compare` reports it). */
  readonly onProgress?: (p: { done: number; total: number }) => void;
  /** Test seam: the HTTP client notifications use (default: fetch). */
  readonly notifyFetch?: FetchLike;
  /** Test seam: where JSON log lines go instead of stderr. */
  readonly logSink?: LogSink;
  /** Where the progress bar is drawn when output is a terminal (default: stderr, else stdout). */
  readonly progressStream?: NodeJS.WritableStream;
}

function hasProgress(s: MarketDataSource | LiveMarketSource): s is MarketDataSource & { progress(): { done: number; total: number } } {
  return typeof (s as { progress?: unknown }).progress === 'function';
}

/** `dnbot run` and `dnbot replay`: build, run until done or stopped, print the summary. */
export async function runCommand(o: RunCommandOptions): Promise<{ code: number; summary: RunSummary }> {
  const raw = readConfigFile(o.flags.config, DEFAULT_CONFIG_PATH);
  const env = o.env ?? process.env;
  const parsed = parseConfig(applyEnv(applyRunFlags(raw, o.flags, o.command), env));
  const controlToken = env['DNBOT_CONTROL_TOKEN'] || undefined;
  // Refused before anything starts: beyond loopback only with a token (exit code 2, naming api.host).
  const binding = parsed.api.enabled ? resolveApiBinding(parsed.api.host, controlToken) : null;
  const json = o.flags.json === true;
  const terminal = o.progressStream !== undefined || o.io.stderrIsTty || o.io.stdoutIsTty;
  const barKind = o.command === 'replay' ? 'replay' : parsed.run.durationMs !== undefined ? 'run' : null;
  const progress = !json && terminal && barKind !== null
    ? new RunProgress({ stream: o.progressStream ?? (o.io.stderrIsTty ? process.stderr : process.stdout), kind: barKind })
    : null;
  // The bar moves more often than the 3 s status line.
  const cfg = progress ? { ...parsed, run: { ...parsed.run, statusIntervalMs: Math.min(parsed.run.statusIntervalMs, 500) } } : parsed;
  const wall = new LiveClock();
  // Log lines carry the bot's market time once its clock exists (simulated, replayed or live).
  let marketClock: Clock | null = null;
  const logger = createLogger({
    level: cfg.log.level,
    ...(cfg.log.file ? { file: cfg.log.file } : {}),
    pretty: o.io.stderrIsTty && !json && o.logSink === undefined,
    ...(o.logSink ? { sink: o.logSink } : {}),
    time: () => (marketClock ?? wall).now(),
    // On a terminal the bar and the log share stderr: each log line clears the bar's line first.
    ...(progress && o.io.stderrIsTty && o.progressStream === undefined && o.logSink === undefined ? { sink: progress.logSink(process.stderr) } : {}),
  });
  const wallStart = wall.now();
  let source: MarketDataSource | LiveMarketSource | null = null;
  let nextLineWall = 0;
  const notes = runNotifications({ cfg, command: o.command, env, wall, logger, marketNow: () => (marketClock ?? wall).now(), ...(o.notifyFetch ? { fetch: o.notifyFetch } : {}) });
  let c: Composed;
  try {
    c = await composeRun();
  } catch (err) {
    await notes.crashed(err);
    notes.close();
    throw err;
  }
  async function composeRun(): Promise<Composed> {
    return compose({
    config: cfg,
    logger,
    wall,
    ...(o.replay ? { replay: o.replay } : {}),
    ...(o.wrapSource ? { wrapSource: o.wrapSource } : {}),
    env: o.env ?? process.env,
    onClock: (clock: Clock) => {
      marketClock = clock;
    },
    ...(json
      ? o.onProgress
        ? {
            onStatus: () => {
              if (source && hasProgress(source)) o.onProgress?.(boundedProgress(source.progress(), 0, cfg.run.durationMs !== undefined ? cfg.run.durationMs / 60_000 : null));
            },
          }
        : {}
      : {
          onStatus: (s: StatusSnapshot) => {
            const bot = cfg.bots[0]!;
            const today = c.store.dailyVolume.get(bot.id, utcDay(s.ts));
            const botState = c.bots[0]?.controlSnapshot();
            const target = cfg.phases[(botState?.phase ?? 1) as 1 | 2 | 3 | 4].dailyVolumeTargetUsd;
            const elapsed = (wall.now() - wallStart) / 1000;
            const p = source && hasProgress(source) ? source.progress() : null;
            if (progress && barKind) {
              const point = boundedProgress(p, (s.ts - c.source.startTs) / 60_000, cfg.run.durationMs !== undefined ? cfg.run.durationMs / 60_000 : null);
              progress.update(point, { rate: progressRate(point.done, elapsed, s.stats.eventsProcessed), status: formatStatusBrief(s, today, target) });
              // The bar is on the terminal; stdout piped elsewhere keeps its status lines, at their own cadence.
              if (o.io.stdoutIsTty || wall.now() < nextLineWall) return;
              nextLineWall = wall.now() + parsed.run.statusIntervalMs;
            }
            let line = formatStatusLine(s, today, target);
            if (p) {
              const b = boundedProgress(p, 0, cfg.run.durationMs !== undefined ? cfg.run.durationMs / 60_000 : null);
              const pct = b.total > 0 ? (100 * b.done) / b.total : 0;
              const eta = pct > 0 ? (elapsed * (100 - pct)) / pct : 0;
              line += ` | ${pct.toFixed(1)}% ETA ${Math.round(eta)}s`;
            }
            o.io.out(line);
          },
        }),
  });
  }
  source = c.source;
  notes.started(c, c.previousBotStatus);
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    progress?.stop();
    logger.info({}, 'stopping: cancelling resting orders and writing state (Ctrl-C again to force)');
    c.runtime.requestStop();
    process.once('SIGINT', () => process.exit(130));
  };
  if (o.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const api = binding
    ? new ApiServer({
        host: binding.host,
        readsNeedToken: binding.readsNeedToken,
        port: cfg.api.port,
        clock: wall,
        pushIntervalMs: cfg.api.pushIntervalMs,
        logger,
        handlers: apiHandlers(c, cfg),
        hostNames: cfg.api.hostNames,
        readCacheMs: cfg.api.readCacheMs,
        ...(controlToken ? { controlToken } : {}),
      })
    : null;
  const apiPort = api ? await api.start() : null;
  o.onApiPort?.(apiPort);
  logger.info({ venue: c.venueName, mode: cfg.mode, seed: cfg.seed, db: cfg.db, speed: cfg.run.speed, bots: cfg.bots.map((b) => b.id) }, 'dnbot starting');
  try {
    try {
      await c.runtime.run();
    } catch (err) {
      await notes.crashed(err);
      throw err;
    }
    const summary = summarizeRun({
      store: c.store,
      venue: c.venueName,
      sinceTs: c.source.startTs,
      stats: c.runtime.stats,
      droppedEvents: c.runtime.guard.dropped,
      startingEquity: c.startingEquity,
      account: c.runtime.currentAccount(),
      fundingUsd: c.paper?.fundingPaid() ?? 0,
      wallSeconds: (wall.now() - wallStart) / 1000,
      phases: cfg.phases,
      endMark: (s) => c.market.mark(s),
    });
    if (!interrupted) progress?.complete();
    if (json) {
      o.io.out(JSON.stringify(summary));
    } else {
      o.io.out(
        `done: ${summary.roundTrips} round trips, ${summary.fills} fills of ${summary.orders} orders, volume ${formatUsd(summary.volumeUsd)}, ` +
          `fees ${formatUsd(summary.feesUsd)}, realised PnL ${formatUsd(summary.realizedPnlUsd)}, equity ${formatUsd(summary.startingEquityUsd)} → ${formatUsd(summary.endingEquityUsd)}, ` +
          `${summary.eventsProcessed} events in ${summary.wallSeconds.toFixed(1)}s (state in ${cfg.db})`,
      );
      const open = c.bots.flatMap((b) => c.store.roundTrips.active(b.id));
      if (open.length > 0) {
        o.io.out(
          `${open.length} pair${open.length === 1 ? '' : 's'} left open, positions held: ${open.map((r) => `${r.id} (${r.status}, long ${r.longSymbol} short ${r.shortSymbol}, ${formatUsd(r.targetNotional)}/leg)`).join('; ')}; ` +
            `the next run on ${cfg.db} resumes managing ${open.length === 1 ? 'it' : 'them'} (dnbot status shows the legs)`,
        );
      }
    }
    const open = c.bots.flatMap((b) => c.store.roundTrips.active(b.id));
    await notes.stopped(
      `${summary.roundTrips} round trips, volume ${formatUsd(summary.volumeUsd)}, fees ${formatUsd(summary.feesUsd)}, realised PnL ${formatUsd(summary.realizedPnlUsd)}, equity ${formatUsd(summary.endingEquityUsd)}` +
        (open.length > 0 ? `; ${open.length} pair(s) left open, positions held: ${open.map((r) => r.id).join(', ')}` : ''),
    );
    return { code: EXIT_OK, summary };
  } finally {
    notes.close();
    progress?.stop();
    await api?.stop();
    if (o.handleSignals !== false) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
    c.store.close();
  }
}
