import type { FillRecord, OrderRecord, RoundTripRecord } from '../metrics/execution-records.js';
import { computeExecutionMetrics, executionMetricsByDay, phaseSuccess, type ExecutionMetrics, type PhaseSuccess } from '../metrics/execution-metrics.js';
import { DEFAULT_PHASES, type Phases } from '../sizing/phases.js';
import type { Store } from '../store/store.js';
import type { CostBreakdown } from '../metrics/cost-breakdown.js';
import type { NeutralityMetrics } from '../metrics/neutrality.js';
import { loadNeutralityAndCosts } from './neutrality-loader.js';
import { phaseGateFor } from './phase-gate-reader.js';

/** One bot's execution metrics over [fromTs, toTs): the whole range, each UTC day, and seed 003's criteria. */
export interface ExecutionMetricsReport {
  readonly botId: string;
  readonly fromTs: number;
  readonly toTs: number;
  readonly total: ExecutionMetrics;
  readonly days: readonly { readonly day: string; readonly metrics: ExecutionMetrics }[];
  /** Seed 003's criteria: the shared phase gate and the execution targets (null for an unknown bot). */
  readonly phase: PhaseSuccess | null;
  /** How neutral the bot was, from its fills at event resolution. */
  readonly neutrality: NeutralityMetrics;
  /** Where the money went; the terms sum to the change in equity over the range. */
  readonly costs: CostBreakdown;
}

export interface ExecutionMetricsQuery {
  readonly botId: string;
  /** Market time, inclusive. */
  readonly fromTs: number;
  /** Market time, exclusive. */
  readonly toTs: number;
  /** Funding paid over the range when the caller knows it (the paper venue's total); SQLite has no funding rows. */
  readonly fundingUsd?: number | null;
  /** Phase definitions (the config's); seed 003's defaults otherwise. */
  readonly phases?: Phases;
  /** The venue's marks at the end of the range (open positions in the cost breakdown). */
  readonly endMark?: (symbol: string) => number | undefined;
  /**
   * When the phase gate is judged (`phaseGateFor`, the evaluation every surface shares): the
   * caller's "now" (`actionTime`). Defaults to the end of the range, capped at the bot's last
   * market time.
   */
  readonly gateTs?: number;
}

/**
 * One bot's fills, orders, closed round trips and post-fill markouts over [fromTs, toTs), each
 * read from a range of its time index: a day's range costs the day's rows, not the history.
 */
function readExecutionRecords(store: Store, q: Pick<ExecutionMetricsQuery, 'botId' | 'fromTs' | 'toTs'>) {
  const db = store.db;
  // Fills first (CROSS JOIN), from the time index; the order of each by its primary key.
  const fills = db
    .prepare(
      `SELECT f.ts AS ts, f.client_order_id AS clientOrderId, f.symbol AS symbol, f.side AS side, f.price AS price, f.size AS size, f.fee AS fee, f.liquidity AS liquidity
       FROM fills f CROSS JOIN orders o ON o.client_order_id = f.client_order_id
       WHERE o.bot_id = ? AND f.ts >= ? AND f.ts < ? ORDER BY f.ts, f.rowid`,
    )
    .all(q.botId, q.fromTs, q.toTs) as FillRecord[];
  const orders = db
    .prepare(
      `SELECT o.client_order_id AS clientOrderId, o.tif AS tif, o.status AS status, o.created_ts AS createdTs, o.size AS size, o.filled_size AS filledSize,
              (SELECT MIN(f.ts) FROM fills f WHERE f.client_order_id = o.client_order_id) AS firstFillTs
       FROM orders o WHERE o.bot_id = ? AND o.created_ts >= ? AND o.created_ts < ? ORDER BY o.created_ts`,
    )
    .all(q.botId, q.fromTs, q.toTs) as OrderRecord[];
  const roundTrips = db
    .prepare(`SELECT exit_ts AS exitTs, realized_pnl AS pnl FROM round_trips WHERE bot_id = ? AND status = 'closed' AND exit_ts >= ? AND exit_ts < ? ORDER BY exit_ts`)
    .all(q.botId, q.fromTs, q.toTs) as RoundTripRecord[];
  const markouts = store.markouts.range(q.botId, q.fromTs, q.toTs);
  return { fills, orders, roundTrips, markouts };
}

/**
 * The execution metrics of one bot over [fromTs, toTs) alone: {@link loadExecutionMetrics}'s
 * `total`, without the phase gate, the per-day split, neutrality and costs (the status API's
 * "today", built every push).
 */
export function loadExecutionTotal(store: Store, q: Pick<ExecutionMetricsQuery, 'botId' | 'fromTs' | 'toTs' | 'fundingUsd'>): ExecutionMetrics {
  return computeExecutionMetrics({ ...readExecutionRecords(store, q), fundingUsd: q.fundingUsd ?? null });
}

/**
 * Reads one bot's fills, orders, closed round trips and post-fill markouts for a time range from
 * the Store and computes its execution metrics (src/metrics): per run and per UTC day.
 */
export function loadExecutionMetrics(store: Store, q: ExecutionMetricsQuery): ExecutionMetricsReport {
  const { fills, orders, roundTrips, markouts } = readExecutionRecords(store, q);
  const input = { fills, orders, roundTrips, markouts, fundingUsd: q.fundingUsd ?? null };
  const total = computeExecutionMetrics(input);
  const days = executionMetricsByDay(input);
  const bot = store.bots.get(q.botId);
  const gateTs = q.gateTs ?? Math.min(q.toTs, bot?.lastMarketTs ?? q.toTs);
  const phase = bot ? phaseSuccess({ gate: phaseGateFor(store, q.botId, q.phases ?? DEFAULT_PHASES, gateTs), total }) : null;
  const { neutrality, costs } = loadNeutralityAndCosts(store, { botId: q.botId, fromTs: q.fromTs, toTs: q.toTs, fundingUsd: q.fundingUsd ?? null, ...(q.endMark ? { endMark: q.endMark } : {}) });
  return { botId: q.botId, fromTs: q.fromTs, toTs: q.toTs, total, days, phase, neutrality, costs };
}

const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(0)}%`);
const bps = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(1)} bps`);

/** A short text block of the metrics (what `dnbot status` prints), one line per theme. */
export function formatExecutionMetrics(label: string, m: ExecutionMetrics): string[] {
  const a = m.adverseSelectionBps;
  return [
    `${label}: net ${bps(m.netBpsPerVolume)} per volume on $${m.volumeUsd.toFixed(0)} (${m.roundTrips} round trips, ${pct(m.nonNegativeRoundTripShare)} with PnL ≥ 0), fees $${m.feesUsd.toFixed(2)}` +
      (m.fundingUsd === null ? '' : `, funding $${m.fundingUsd.toFixed(2)}`),
    `  maker ${pct(m.makerShare)} of volume, post-only rejected ${pct(m.postOnlyRejectionRate)}, resting fill rate ${pct(m.restingFillRate)}, queue wait ${m.avgQueueWaitMs === null ? 'n/a' : `${(m.avgQueueWaitMs / 1000).toFixed(1)} s`}`,
    `  spread capture ${bps(m.spreadCaptureBps)}, adverse selection 1 s ${bps(a.s1)} / 10 s ${bps(a.s10)} / 60 s ${bps(a.s60)}, realised at 60 s ${bps(m.realisedSpreadCaptureBps)}`,
  ];
}

/** Seed 003's criteria on one line: each actual against required, ✓ or ✗. */
export function formatPhaseSuccess(p: PhaseSuccess): string {
  const fmt = (v: number | null): string => (v === null ? 'n/a' : Math.abs(v) >= 100 ? v.toFixed(0) : Number.isInteger(v) ? String(v) : v.toFixed(2));
  const items = [...p.gate, ...p.execution].map((c) => `${c.name} ${fmt(c.actual)} ${c.comparison} ${fmt(c.required)} ${c.met ? '✓' : '✗'}`);
  return `seed 003 phase ${p.phase} criteria ${p.met ? 'met' : 'not met'}: ${items.join(', ')}`;
}
