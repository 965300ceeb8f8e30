import { fileURLToPath } from 'node:url';
import { LiveClock } from '../core/clock.js';
import type { MarketDataSource } from '../core/venue.js';
import { formatStatusLine, formatUsd } from '../engine/status-line.js';
import type { StatusSnapshot } from '../engine/runtime.js';
import { summarizeRun, type RunSummary } from '../engine/run-summary.js';
import { utcDay } from '../core/utc-day.js';
import { ApiServer } from '../api/api-server.js';
import { apiHandlers } from './api-handlers.js';
import { compose, type ReplayInput } from './compose.js';
import { applyEnv, parseConfig, readConfigFile } from './config-loader.js';
import { EXIT_OK, type CliIo } from './cli-io.js';
import { createLogger } from './logger.js';
import { applyRunFlags, type RunFlags } from './run-flags.js';

export const DEFAULT_CONFIG_PATH = fileURLToPath(new URL('../../config/default.json', import.meta.url));

export interface RunCommandOptions {
  readonly flags: RunFlags;
  readonly venue: 'sim' | 'replay';
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
}

function hasProgress(s: MarketDataSource): s is MarketDataSource & { progress(): { done: number; total: number } } {
  return typeof (s as { progress?: unknown }).progress === 'function';
}

/** `dnbot run` and `dnbot replay`: build, run until done or stopped, print the summary. */
export async function runCommand(o: RunCommandOptions): Promise<{ code: number; summary: RunSummary }> {
  const raw = readConfigFile(o.flags.config, DEFAULT_CONFIG_PATH);
  const cfg = parseConfig(applyEnv(applyRunFlags(raw, o.flags, o.venue), o.env ?? process.env));
  const json = o.flags.json === true;
  const logger = createLogger({ level: cfg.log.level, ...(cfg.log.file ? { file: cfg.log.file } : {}), pretty: o.io.stderrIsTty && !json });
  const wall = new LiveClock();
  const wallStart = wall.now();
  let source: MarketDataSource | null = null;
  const c = await compose({
    config: cfg,
    logger,
    wall,
    ...(o.replay ? { replay: o.replay } : {}),
    ...(o.wrapSource ? { wrapSource: o.wrapSource } : {}),
    ...(json
      ? {}
      : {
          onStatus: (s: StatusSnapshot) => {
          const bot = cfg.bots[0]!;
          const today = c.store.dailyVolume.get(bot.id, utcDay(s.ts));
          const botState = c.bots[0]?.controlSnapshot();
          let line = formatStatusLine(s, today, cfg.phases[(botState?.phase ?? 1) as 1 | 2 | 3 | 4].dailyVolumeTargetUsd);
          if (source && hasProgress(source)) {
            const p = source.progress();
            const pct = p.total > 0 ? (100 * p.done) / p.total : 0;
            const elapsed = (wall.now() - wallStart) / 1000;
            const eta = pct > 0 ? (elapsed * (100 - pct)) / pct : 0;
            line += ` | ${pct.toFixed(1)}% ETA ${Math.round(eta)}s`;
          }
          o.io.out(line);
          },
        }),
  });
  source = c.source;
  const onSignal = (): void => {
    logger.info({}, 'stopping: cancelling resting orders and writing state (Ctrl-C again to force)');
    c.runtime.requestStop();
    process.once('SIGINT', () => process.exit(130));
  };
  if (o.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const api = cfg.api.enabled
    ? new ApiServer({
        host: cfg.api.host,
        port: cfg.api.port,
        logger,
        handlers: apiHandlers(c, cfg),
        ...(process.env['DNBOT_CONTROL_TOKEN'] ? { controlToken: process.env['DNBOT_CONTROL_TOKEN'] } : {}),
      })
    : null;
  const apiPort = api ? await api.start() : null;
  o.onApiPort?.(apiPort);
  logger.info({ venue: c.venueName, mode: cfg.mode, seed: cfg.seed, db: cfg.db, speed: cfg.run.speed, bots: cfg.bots.map((b) => b.id) }, 'dnbot starting');
  try {
    await c.runtime.run();
    const summary = summarizeRun({
      store: c.store,
      venue: c.venueName,
      sinceTs: c.source.startTs,
      stats: c.runtime.stats,
      droppedEvents: c.runtime.guard.dropped,
      startingEquity: c.startingEquity,
      account: c.runtime.currentAccount(),
      fundingUsd: c.paper.fundingPaid(),
      wallSeconds: (wall.now() - wallStart) / 1000,
    });
    if (json) {
      o.io.out(JSON.stringify(summary));
    } else {
      o.io.out(
        `done: ${summary.roundTrips} round trips, ${summary.fills} fills of ${summary.orders} orders, volume ${formatUsd(summary.volumeUsd)}, ` +
          `fees ${formatUsd(summary.feesUsd)}, realised PnL ${formatUsd(summary.realizedPnlUsd)}, equity ${formatUsd(summary.startingEquityUsd)} → ${formatUsd(summary.endingEquityUsd)}, ` +
          `${summary.eventsProcessed} events in ${summary.wallSeconds.toFixed(1)}s (state in ${cfg.db})`,
      );
    }
    return { code: EXIT_OK, summary };
  } finally {
    await api?.stop();
    if (o.handleSignals !== false) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
    c.store.close();
  }
}
