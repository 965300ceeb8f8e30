import { utcDay } from '../core/utc-day.js';
import { storedAllocationTier } from '../engine/allocation-reader.js';
import { buildRiskReport, type RiskReport } from '../engine/risk-report.js';
import type { AllocationTierConfig } from '../risk/allocation-tier.js';
import { effectiveMaxLeverage } from '../risk/leverage-validation.js';
import type { RiskLevelThresholds } from '../risk/liquidation-risk-level.js';
import type { ProtectionConfig } from '../risk/liquidation-protection.js';
import type { RiskLimits } from '../risk/risk-limits.js';
import type { PhaseGateResult } from '../sizing/phase-gate.js';
import type { Phases } from '../sizing/phases.js';
import type { Breaker } from '../store/breaker-repository.js';
import type { ManualIntervention } from '../store/control-repository.js';
import type { JournalEvent } from '../store/event-journal.js';
import type { PhaseChange } from '../store/phase-repository.js';
import type { RoundTrip } from '../store/round-trip-repository.js';
import type { Store } from '../store/store.js';
import { equitySeries, thinIndices, type EquitySeries } from './equity-series.js';
import { pairTable, type PairRow } from './pair-table.js';

/** What a report covers: one bot (default: every bot's first) over a market-time range (default: all). */
export interface ReportQuery {
  readonly botId?: string;
  readonly fromTs?: number;
  readonly toTs?: number;
}

/** Settings the report reads from config: phase targets and the risk report's limits. */
export interface ReportSettings {
  readonly phases: Phases;
  readonly limits: RiskLimits;
  readonly thresholds: RiskLevelThresholds;
  readonly protection: ProtectionConfig;
  /** Seed 001's tiers and capital share, for the allocation limits among the risk limits (absent: not shown). */
  readonly allocation?: { readonly tiers: AllocationTierConfig; readonly capitalShare: number; readonly maxPortfolioLeverage: number };
}

/** A section another module computes (execution metrics, the phase gate), handed in by the command. */
export interface ReportExtras {
  readonly phaseGate?: PhaseGateResult | null;
  /** Hook for execution metrics (maker share, adverse selection, net bps per volume); null when unavailable. */
  readonly executionMetrics?: unknown;
}

export interface DailyRow {
  readonly day: string;
  readonly volumeUsd: number;
  readonly targetUsd: number;
  readonly fills: number;
  readonly feesUsd: number;
  /** Realised PnL net of fees. */
  readonly pnlUsd: number;
  readonly phase: number;
}

export interface ReportData {
  readonly botId: string;
  readonly venue: string;
  readonly bots: readonly string[];
  readonly fromTs: number;
  readonly toTs: number;
  readonly generatedTs: number;
  readonly equity: EquitySeries;
  /** Drawdown from the running peak at each equity point (≤ 0). */
  readonly drawdown: readonly number[];
  readonly summary: {
    readonly startEquity: number | null;
    readonly endEquity: number | null;
    readonly pnlUsd: number | null;
    readonly returnPct: number | null;
    readonly maxDrawdown: number;
    readonly volumeUsd: number;
    readonly fills: number;
    readonly makerFills: number;
    readonly feesUsd: number;
    readonly makerFeesUsd: number;
    readonly takerFeesUsd: number;
    /** Realised PnL before fees over the range's UTC days. */
    readonly realizedGrossUsd: number;
    /** Realised − fees − collateral change: what funding took (negative = received). Null without two snapshots. */
    readonly fundingUsd: number | null;
    readonly roundTrips: number;
    readonly winRate: number | null;
  };
  readonly daily: readonly DailyRow[];
  readonly phase: { readonly current: number | null; readonly sinceTs: number | null; readonly changes: readonly PhaseChange[]; readonly gate: PhaseGateResult | null };
  readonly roundTrips: readonly RoundTrip[];
  readonly pairs: readonly PairRow[];
  readonly exitEvents: readonly { readonly kind: string; readonly level: string | null; readonly n: number }[];
  readonly risk: RiskReport;
  readonly breakers: readonly Breaker[];
  readonly interventions: readonly ManualIntervention[];
  readonly eventCounts: Readonly<Record<string, number>>;
  readonly notableEvents: readonly JournalEvent[];
  readonly executionMetrics: unknown;
}

const NOTABLE = ['breaker_tripped', 'breaker_reset', 'risk_level', 'protection_action', 'emergency_hedge', 'phase_approve', 'phase_rollback', 'phase_breach', 'cancel_all', 'bookkeeping_error', 'fill_gap'];
const MAX_EQUITY_POINTS = 4_000;
/** Bars behind the VaR and volatility figures: the range's last week of 1-minute closes (as `dnbot risk`). */
export const RISK_BARS = 10_080;

/** Drawdown series: equity over its running peak, minus one. */
export function drawdownSeries(equity: readonly number[]): number[] {
  let peak = Number.NEGATIVE_INFINITY;
  return equity.map((e) => {
    peak = Math.max(peak, e);
    return peak > 0 ? e / peak - 1 : 0;
  });
}

/** The phase a bot was in at the end of `day`, from its phase changes (oldest first) and current state. */
function phaseOnDay(day: string, changes: readonly PhaseChange[], current: number): number {
  const end = Date.parse(`${day}T23:59:59.999Z`);
  const after = changes.find((c) => c.ts > end);
  return after ? after.fromPhase : current;
}

/**
 * Gathers a run's or period's report from SQLite: equity and drawdown, daily volume against the
 * phase target, fees, funding, round trips and per-pair results, the risk report (src/analytics
 * through engine/risk-report), breaker trips, manual interventions and the journal.
 * @throws Error when the database holds no bot (or not the one asked for).
 */
export function gatherReport(store: Store, settings: ReportSettings, q: ReportQuery, generatedTs: number, extras: ReportExtras = {}): ReportData {
  const bots = store.bots.list();
  const bot = q.botId === undefined ? bots[0] : bots.find((b) => b.id === q.botId);
  if (!bot) throw new Error(q.botId === undefined ? 'no bot in this database' : `no bot "${q.botId}" in this database; bots: ${bots.map((b) => b.id).join(', ') || 'none'}`);
  const db = store.db;
  const span = store.snapshots.equitySpan(bot.id);
  const fromTs = q.fromTs ?? span?.first ?? 0;
  const toTs = q.toTs ?? Math.max(span?.last ?? fromTs, fromTs);
  const full = store.snapshots.equityRange(bot.id, fromTs, toTs);
  const equity = equitySeries(store, bot.id, full, MAX_EQUITY_POINTS);
  const drawdownFull = drawdownSeries(full.map((r) => r.equity));
  const fromDay = utcDay(fromTs);
  const toDay = utcDay(toTs);
  const state = store.phases.get(bot.id);
  const changes = store.phases.changes(bot.id, 10_000).sort((a, b) => a.ts - b.ts);
  const currentPhase = state?.phase ?? 1;
  const daily = store.dailyVolume
    .history(bot.id)
    .filter((d) => d.day >= fromDay && d.day <= toDay)
    .map((d) => {
      const phase = phaseOnDay(d.day, changes, currentPhase);
      return { day: d.day, volumeUsd: d.volumeUsd, targetUsd: settings.phases[phase as 1 | 2 | 3 | 4].dailyVolumeTargetUsd, fills: d.fills, feesUsd: d.feesUsd, pnlUsd: d.realizedPnl - d.feesUsd, phase };
    });
  const fillRows = db
    .prepare(
      `SELECT f.liquidity AS liquidity, COUNT(*) AS n, SUM(f.fee) AS fee, SUM(f.price * f.size) AS notional
       FROM fills f JOIN orders o ON o.client_order_id = f.client_order_id
       WHERE o.bot_id = ? AND f.ts >= ? AND f.ts <= ? GROUP BY f.liquidity`,
    )
    .all(bot.id, fromTs, toTs) as { liquidity: string; n: number; fee: number; notional: number }[];
  const maker = fillRows.find((r) => r.liquidity === 'maker');
  const feesUsd = fillRows.reduce((a, r) => a + r.fee, 0);
  const realizedGrossUsd = store.dailyVolume.history(bot.id).filter((d) => d.day >= fromDay && d.day <= toDay).reduce((a, d) => a + d.realizedPnl, 0);
  const first = full[0];
  const last = full.at(-1);
  const fundingUsd = first && last && full.length >= 2 ? realizedGrossUsd - feesUsd - (last.collateral - first.collateral) : null;
  const roundTrips = store.roundTrips.closed(bot.id).filter((t) => (t.exitTs ?? 0) >= fromTs && (t.exitTs ?? 0) <= toTs);
  const pnls = roundTrips.map((t) => t.realizedPnl ?? 0);
  const exitEvents = db
    .prepare('SELECT kind, level, COUNT(*) AS n FROM exit_events WHERE bot_id = ? AND ts >= ? AND ts <= ? GROUP BY kind, level ORDER BY kind, level')
    .all(bot.id, fromTs, toTs) as { kind: string; level: string | null; n: number }[];
  const inRange = (ts: number): boolean => ts >= fromTs && ts <= toTs;
  const ranged = q.fromTs !== undefined || q.toTs !== undefined;
  const events = (db.prepare('SELECT kind, COUNT(*) AS n FROM events WHERE (bot_id = ? OR bot_id IS NULL) AND ts >= ? AND ts <= ? GROUP BY kind').all(bot.id, fromTs, toTs) as { kind: string; n: number }[]);
  const notable = (
    db
      .prepare(`SELECT * FROM events WHERE (bot_id = ? OR bot_id IS NULL) AND kind IN (${NOTABLE.map(() => '?').join(',')}) AND ts >= ? AND ts <= ? ORDER BY id LIMIT 500`)
      .all(bot.id, ...NOTABLE, fromTs, toTs) as { id: number; ts: number; bot_id: string | null; kind: string; data: string }[]
  ).map((r) => ({ id: r.id, ts: r.ts, botId: r.bot_id, kind: r.kind, data: JSON.parse(r.data) as Record<string, unknown> }));
  return {
    botId: bot.id,
    venue: bot.venue,
    bots: bots.map((b) => b.id),
    fromTs,
    toTs,
    generatedTs,
    equity,
    // The thinned points keep the drawdown of the full series at the same snapshots (same rows, same thinning).
    drawdown: thinIndices(full.length, MAX_EQUITY_POINTS).map((i) => drawdownFull[i] ?? 0),
    summary: {
      startEquity: first?.equity ?? null,
      endEquity: last?.equity ?? null,
      pnlUsd: first && last ? last.equity - first.equity : null,
      returnPct: first && last && first.equity > 0 ? last.equity / first.equity - 1 : null,
      maxDrawdown: drawdownFull.reduce((a, v) => Math.min(a, v), 0),
      volumeUsd: fillRows.reduce((a, r) => a + r.notional, 0),
      fills: fillRows.reduce((a, r) => a + r.n, 0),
      makerFills: maker?.n ?? 0,
      feesUsd,
      makerFeesUsd: maker?.fee ?? 0,
      takerFeesUsd: feesUsd - (maker?.fee ?? 0),
      realizedGrossUsd,
      fundingUsd,
      roundTrips: roundTrips.length,
      winRate: pnls.length > 0 ? pnls.filter((p) => p > 0).length / pnls.length : null,
    },
    daily,
    phase: { current: state?.phase ?? null, sinceTs: state?.sinceTs ?? null, changes: changes.filter((c) => !ranged || inRange(c.ts)), gate: extras.phaseGate ?? null },
    roundTrips,
    pairs: pairTable(roundTrips),
    exitEvents,
    risk: riskForRange(store, settings, bot.venue, bot.id, fromTs, toTs, full.map((r) => r.equity), full.length > 1 ? full.at(-1)!.ts - full[0]!.ts : 0, pnls),
    breakers: store.breakers.history(bot.id, 10_000).filter((b) => !ranged || inRange(b.trippedTs)).reverse(),
    // Operator actions carry the wall time they were taken at; a market-time range filters them only when asked.
    interventions: store.controls.interventions(bot.id, 10_000).filter((i) => !ranged || inRange(i.ts)).reverse(),
    eventCounts: Object.fromEntries(events.map((e) => [e.kind, e.n])),
    notableEvents: notable,
    executionMetrics: extras.executionMetrics ?? null,
  };
}

/** The risk report over the range: its equity curve and round trips, its last {@link RISK_BARS} bars, positions now. */
function riskForRange(store: Store, settings: ReportSettings, venue: string, botId: string, fromTs: number, toTs: number, equityCurve: number[], equitySpanMs: number, roundTripPnls: number[]): RiskReport {
  const instruments = store.instruments.list(venue);
  const marks = new Map(store.snapshots.marks(venue).map((m) => [m.symbol, m.price]));
  const positions = store.positions.list(botId, venue).flatMap((p) => {
    const instrument = instruments.get(p.symbol);
    const mark = marks.get(p.symbol);
    return instrument && mark !== undefined && p.size !== 0 ? [{ symbol: p.symbol, size: p.size, mark, entryPrice: p.entryPrice, instrument }] : [];
  });
  const closes = new Map(
    store.bars.symbols(venue).map((s) => [
      s,
      store.bars.closesBetween(venue, s, fromTs, toTs, RISK_BARS).map((r) => r.close),
    ]),
  );
  // Too short a range leaves too few bars for returns: such symbols (and positions in them) are left out.
  for (const [sym, c] of closes) if (c.length < 3) closes.delete(sym);
  const realizedPnl = store.positions.list(botId, venue).reduce((a, p) => a + p.realizedPnl, 0);
  return buildRiskReport({
    equity: equityCurve.at(-1) ?? 0,
    positions: positions.filter((p) => closes.has(p.symbol)),
    realizedPnl,
    openOrders: store.orders.active(venue).filter((o) => o.botId === botId).length,
    closes,
    equityCurve,
    equitySpanMs,
    roundTripPnls,
    limits: settings.limits,
    thresholds: settings.thresholds,
    protection: settings.protection,
    ...(settings.allocation
      ? (() => {
          const a = settings.allocation;
          const tier = storedAllocationTier(store, botId, utcDay(toTs), a.tiers);
          const leverage = effectiveMaxLeverage(settings.phases[store.phases.get(botId)?.phase ?? 1].leverage, a.maxPortfolioLeverage);
          return { allocation: { tier: tier.tier, limit: tier.limit, totalLimit: tier.totalLimit, leverage, capitalShare: a.capitalShare } };
        })()
      : {}),
  });
}
