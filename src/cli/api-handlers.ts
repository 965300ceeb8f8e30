import type { ApiHandlers, ControlResult } from '../api/api-server.js';
import { createMetricsRegistry, type BotMetrics } from '../api/metrics-registry.js';
import { EventLoopLag } from '../api/event-loop-lag.js';
import { healthVerdict } from '../engine/health-verdict.js';
import { packageVersion } from './package-root.js';
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
import { botActivity } from './bot-activity.js';
import { equityWindow } from '../report/equity-series.js';
import { LedgerTotals, type LedgerTotalsReader } from '../engine/ledger-totals.js';

/**
 * Each bot's figures for `/metrics`: all-time counts and sums from the running {@link LedgerTotals},
 * the rest from live controls and bounded reads (today's row, open pairs, positions).
 */
export function metricsOfBots(c: Composed, totals: LedgerTotalsReader): BotMetrics[] {
  const day = utcDay(c.runtime.status().ts);
  const marks = new Map(c.store.snapshots.marks(c.venueName).map((m) => [m.symbol, m.price]));
  return c.bots.map((b) => {
    const s = b.controlSnapshot();
    const t = totals.bot(b.id);
    return {
      bot: b.id,
      venue: c.venueName,
      phase: s.phase,
      halted: s.halted !== null,
      breakersTripped: s.breakers.length,
      riskMultiplier: s.riskMultiplier,
      realisedPnlUsd: t.realisedPnlUsd,
      feesUsd: t.feesUsd,
      volumeTodayUsd: c.store.dailyVolume.get(b.id, day).volumeUsd,
      openPairs: c.store.roundTrips.active(b.id).length,
      positions: c.store.positions
        .list(b.id, c.venueName)
        .filter((p) => p.size !== 0)
        .map((p) => ({ symbol: p.symbol, size: p.size, notionalUsd: p.size * (marks.get(p.symbol) ?? p.entryPrice) })),
      fillsBySymbol: t.fillsBySymbol,
      rejectionsByReason: t.rejectionsByReason,
      ordersByStatus: t.ordersByStatus,
    };
  });
}

function hasProgress(s: unknown): s is { progress(): { done: number; total: number } } {
  return typeof (s as { progress?: unknown }).progress === 'function';
}

/**
 * `GET /status` (and each `/events` push): what `dnbot status --json` prints, plus the live
 * account, exposure, portfolio risk level, each bot's daily volume target (its phase's), PnL base
 * and activity (latest fills and round trips, fees and funding, leverage used and liquidation
 * prices: {@link botActivity}), the journal's latest events and, for replays, progress.
 */
export function statusDocument(c: Composed, cfg: DnbotConfig, totals: LedgerTotalsReader) {
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
    bots: collectStatus(c.store, { allTimeExecution: false, totals }).map((b) => {
      const base = c.store.snapshots.firstEquity(b.id);
      const phase = cfg.phases[(b.phase?.phase ?? 1) as 1 | 2 | 3 | 4];
      return {
        ...b,
        volumeTargetUsd: phase.dailyVolumeTargetUsd,
        baseEquity: base?.equity ?? null,
        // Latest fills and round trips, fees and funding, leverage used and liquidation prices.
        ...botActivity(c.store, b, Math.min(phase.leverage, cfg.risk.limits.maxPortfolioLeverage), totals),
      };
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
  // Read once here, then kept current as the run writes: no read below sums over history.
  const totals = LedgerTotals.attach(c.store.db);
  const metrics = createMetricsRegistry({
    venue: c.venueName,
    version: packageVersion(),
    bots: () => metricsOfBots(c, totals),
    limiterQueueDepth: () => c.orders.queueDepth(),
    eventsProcessed: () => c.runtime.stats.eventsProcessed,
    droppedEvents: () => c.runtime.guard.dropped,
    streamLagSeconds: () => c.runtime.streamLagSeconds(),
    equityUsd: () => c.runtime.currentAccount().equity,
    netDeltaUsd: () => c.runtime.status().netDeltaUsd,
    grossNotionalUsd: () => c.runtime.status().grossNotionalUsd,
    riskLevel: () => c.portfolio.latest()?.riskLevel ?? null,
  });
  c.orders.onRequestLatency((request, seconds) => metrics.observeOrderLatency(request, seconds));
  const eventLoop = new EventLoopLag({ clock: wall });
  const lastMismatches = (): readonly string[] => {
    const rec = c.store.events.recent(1, 'reconciliation')[0];
    const m = rec?.data['positionMismatches'];
    return Array.isArray(m) ? m.map(String) : [];
  };
  const verdict = () =>
    healthVerdict(
      {
        feeds: c.feedHealth(),
        reconciliationMismatches: lastMismatches(),
        eventLoopLagP99Ms: eventLoop.p99Ms(),
        bots: c.bots.map((b) => {
          const s = b.controlSnapshot();
          return { id: b.id, halted: s.halted, breakers: s.breakers };
        }),
        riskLevel: c.portfolio.latest()?.riskLevel ?? null,
      },
      cfg.api.health,
    );
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
    health: () => {
      const v = verdict();
      return {
        ...healthDocument(c.runtime, c.bots, c.venueName, () => c.runtime.guard.dropped, c.portfolio),
        status: v.status,
        reasons: v.reasons,
        notices: v.notices,
        event_loop_lag_p99_ms: eventLoop.p99Ms(),
        stream_lag_seconds: c.runtime.streamLagSeconds(),
        feeds: c.feedHealth(),
        last_reconciliation: c.store.events.recent(1, 'reconciliation')[0] ?? null,
        // The phase gate `dnbot status` and `dnbot phase status` show (one evaluation, same "now").
        phase_gates: c.bots.map((b) => {
          const g = phaseGateFor(c.store, b.id, cfg.phases, actionTime(c.store, b.id, wall.now()));
          return { bot: b.id, phase: g.phase, next_phase: g.nextPhase, ready: g.ready, as_of: new Date(g.asOfTs).toISOString(), criteria: g.criteria };
        }),
      };
    },
    ready: () => {
      const reasons: string[] = [];
      const state = c.runtime.lifecycle();
      if (state !== 'running') reasons.push(`runtime ${state}`);
      if (c.runtime.stats.eventsProcessed === 0) reasons.push('no market event processed yet');
      for (const f of c.feedHealth().filter((x) => x.stale)) reasons.push(`${f.venue} ${f.symbol}: ${f.reason ?? 'stale'}`);
      return { ready: reasons.length === 0, reasons };
    },
    close: () => {
      eventLoop.stop();
      if (c.store.db.open) totals.detach();
    },
    status: () => statusDocument(c, cfg, totals),
    series: (q) => {
      const bot = q.get('bot') ?? c.bots[0]?.id ?? '';
      const num = (k: string): number | undefined => {
        const v = Number(q.get(k) ?? Number.NaN);
        return Number.isFinite(v) ? v : undefined;
      };
      const from = num('from');
      const to = num('to');
      return equityWindow(c.store, bot, { maxPoints: Math.min(5_000, Math.max(2, num('points') ?? 1_500)), ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) });
    },
    metrics: () => metrics.metrics(),
    control: (action, body) => {
      // A field of the wrong type is refused, never read as absent: `{"bot": 5}` must not act on every bot.
      for (const [field, type] of [['bot', 'string'], ['reason', 'string'], ['force', 'boolean']] as const) {
        if (body[field] !== undefined && typeof body[field] !== type) return { status: 400, body: { error: `${field}: expected a ${type}, got ${JSON.stringify(body[field])}` } };
      }
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
          // Cancelling nothing changed nothing: not a manual intervention (seed 003 counts them).
          if (n > 0) for (const b of c.bots) if (bot === undefined || b.id === bot) c.store.controls.recordIntervention({ botId: b.id, ts, action: 'cancel_all', detail: { orders: n } });
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
