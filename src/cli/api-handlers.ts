import type { ApiHandlers, ControlResult } from '../api/api-server.js';
import { createMetricsRegistry } from '../api/metrics-registry.js';
import { LiveClock } from '../core/clock.js';
import { isDnbotError } from '../core/errors.js';
import { utcDay } from '../core/utc-day.js';
import { healthDocument } from '../engine/health-document.js';
import type { CliIo } from './cli-io.js';
import type { Composed } from './compose.js';
import type { DnbotConfig } from './config-schema.js';
import { actionTime, breakerCommand, phaseCommand, setHalt, type ControlContext } from './control-commands.js';
import { phaseGateFor } from '../engine/phase-gate-reader.js';
import { collectStatus } from './status-command.js';
import { equitySeries } from '../report/equity-series.js';

function hasProgress(s: unknown): s is { progress(): { done: number; total: number } } {
  return typeof (s as { progress?: unknown }).progress === 'function';
}

/**
 * `GET /status` (and each `/events` push): what `dnbot status --json` prints, plus the live
 * account, exposure, portfolio risk level, each bot's daily volume target (its phase's) and PnL
 * base, the journal's latest events and, for replays, progress.
 */
export function statusDocument(c: Composed, cfg: DnbotConfig) {
  const s = c.runtime.status();
  const risk = c.portfolio.latest();
  return {
    market_time: new Date(s.ts).toISOString(),
    market_ts: s.ts,
    venue: c.venueName,
    mode: cfg.mode,
    account: c.runtime.currentAccount(),
    live: {
      net_delta_usd: s.netDeltaUsd,
      gross_notional_usd: s.grossNotionalUsd,
      open_pairs: s.openPairs,
      events_processed: s.stats.eventsProcessed,
      stream_lag_seconds: c.runtime.streamLagSeconds(),
      /** Live streams per venue and symbol: staleness, resyncs, dropped messages (empty offline). */
      feeds: c.feedHealth(),
    },
    risk: risk ? { level: risk.riskLevel, action: risk.action, health_ratio: risk.healthRatio, time_to_liquidation_ms: risk.timeToLiquidationMs } : null,
    progress: hasProgress(c.source) ? c.source.progress() : null,
    bots: collectStatus(c.store, { allTimeExecution: false }).map((b) => {
      const base = c.store.db.prepare('SELECT equity FROM equity_snapshots WHERE bot_id = ? ORDER BY ts LIMIT 1').get(b.id) as { equity: number } | undefined;
      return { ...b, volumeTargetUsd: cfg.phases[(b.phase?.phase ?? 1) as 1 | 2 | 3 | 4].dailyVolumeTargetUsd, baseEquity: base?.equity ?? null };
    }),
    recentEvents: c.store.events.recent(25),
  };
}

export const CONTROL_ACTIONS = ['halt', 'resume', 'reduce-only', 'cancel-all', 'phase-approve', 'phase-rollback', 'breaker-reset'] as const;

/**
 * The status API's handlers for a running bot: health and status from live state and SQLite,
 * Prometheus metrics, and the operator's control actions — the same code paths as the CLI, each
 * counted as a manual intervention and journaled.
 */
export function apiHandlers(c: Composed, cfg: DnbotConfig): ApiHandlers {
  const wall = new LiveClock();
  const registry = createMetricsRegistry({
    ordersByStatus: () => c.store.orders.countByStatus(),
    rejectionsByReason: () => {
      const rows = c.store.db.prepare(`SELECT COALESCE(reject_reason, 'unknown') AS r, COUNT(*) AS n FROM orders WHERE status = 'rejected' GROUP BY r`).all() as { r: string; n: number }[];
      return Object.fromEntries(rows.map((x) => [x.r, x.n]));
    },
    fills: () => (c.store.db.prepare('SELECT COUNT(*) AS n FROM fills').get() as { n: number }).n,
    limiterQueueDepth: () => c.orders.queueDepth(),
    eventsProcessed: () => c.runtime.stats.eventsProcessed,
    droppedEvents: () => c.runtime.guard.dropped,
    streamLagSeconds: () => c.runtime.streamLagSeconds(),
    equityUsd: () => c.runtime.currentAccount().equity,
    netDeltaUsd: () => c.runtime.status().netDeltaUsd,
    grossNotionalUsd: () => c.runtime.status().grossNotionalUsd,
    volumeTodayUsd: () => c.bots.reduce((a, b) => a + c.store.dailyVolume.get(b.id, utcDay(c.runtime.status().ts)).volumeUsd, 0),
  });
  const run = (fn: (ctx: ControlContext) => number): ControlResult => {
    const out: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => out.push(l), stdoutIsTty: false, stderrIsTty: false };
    try {
      const code = fn({ store: c.store, io, now: wall.now(), phases: cfg.phases });
      return { status: code === 0 ? 200 : 409, body: { ok: code === 0, message: out.join('\n') } };
    } catch (err) {
      if (isDnbotError(err)) return { status: 400, body: { ok: false, code: err.code, message: err.message } };
      throw err;
    }
  };
  return {
    health: () => ({
      ...healthDocument(c.runtime, c.bots, c.venueName, () => c.runtime.guard.dropped, c.portfolio),
      stream_lag_seconds: c.runtime.streamLagSeconds(),
      feeds: c.feedHealth(),
      last_reconciliation: c.store.events.recent(1, 'reconciliation')[0] ?? null,
      // The phase gate `dnbot status` and `dnbot phase status` show (one evaluation, same "now").
      phase_gates: c.bots.map((b) => {
        const g = phaseGateFor(c.store, b.id, cfg.phases, actionTime(c.store, b.id, wall.now()));
        return { bot: b.id, phase: g.phase, next_phase: g.nextPhase, ready: g.ready, as_of: new Date(g.asOfTs).toISOString(), criteria: g.criteria };
      }),
    }),
    status: () => statusDocument(c, cfg),
    series: (q) => {
      const bot = q.get('bot') ?? c.bots[0]?.id ?? '';
      const num = (k: string): number | undefined => {
        const v = Number(q.get(k) ?? Number.NaN);
        return Number.isFinite(v) ? v : undefined;
      };
      const from = num('from');
      const to = num('to');
      return equitySeries(c.store, bot, { maxPoints: Math.min(5_000, Math.max(2, num('points') ?? 1_500)), ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
    },
    metrics: () => registry.metrics(),
    control: (action, body) => {
      const bot = typeof body['bot'] === 'string' ? body['bot'] : undefined;
      const reason = typeof body['reason'] === 'string' ? body['reason'] : `via API: ${action}`;
      switch (action) {
        case 'halt':
          return run((ctx) => setHalt(ctx, bot ?? 'all', true, reason));
        case 'resume':
          return run((ctx) => setHalt(ctx, bot ?? 'all', false, reason));
        case 'reduce-only':
          // Entries stop; exits, harvests and hedges continue: the kill switch with its own reason.
          return run((ctx) => setHalt(ctx, bot ?? 'all', true, `reduce-only: ${reason}`));
        case 'cancel-all': {
          const n = c.orders.cancelAll((o) => bot === undefined || o.botId === bot);
          const ts = wall.now();
          for (const b of c.bots) if (bot === undefined || b.id === bot) c.store.controls.recordIntervention({ botId: b.id, ts, action: 'cancel_all', detail: { orders: n } });
          c.store.events.record(ts, bot ?? null, 'cancel_all', { orders: n });
          return { status: 200, body: { ok: true, message: `cancel requested for ${n} order(s)` } };
        }
        case 'phase-approve':
          return run((ctx) => phaseCommand(ctx, 'approve', bot, { ...(body['force'] === true ? { force: true } : {}), reason }));
        case 'phase-rollback':
          return run((ctx) => phaseCommand(ctx, 'rollback', bot, { reason }));
        case 'breaker-reset':
          return run((ctx) => breakerCommand(ctx, 'reset', bot));
        default:
          return { status: 404, body: { ok: false, message: `unknown action "${action}"; actions: ${CONTROL_ACTIONS.join(', ')}` } };
      }
    },
  };
}
