import { utcDay } from '../core/utc-day.js';
import type { GateCriterion, PhaseGateResult } from '../sizing/phase-gate.js';
import type { FillRecord, MarkoutRecord, OrderRecord, RoundTripRecord } from './execution-records.js';
import { averageQueueWaitMs, makerFillCountShare, makerShare, postOnlyRejectionRate, restingFillRate } from './fill-quality.js';
import { adverseSelectionBps, realisedSpreadCaptureBps, spreadCaptureAtFillBps } from './markouts.js';
import { feesPaid, filledNotional, netBpsPerVolume, nonNegativeRoundTripShare } from './volume-economics.js';

/** Everything the metrics need, for one bot over one time range. */
export interface ExecutionInput {
  readonly fills: readonly FillRecord[];
  readonly orders: readonly OrderRecord[];
  readonly roundTrips: readonly RoundTripRecord[];
  readonly markouts: readonly MarkoutRecord[];
  /** Funding paid over the range (positive = paid), null when unknown. */
  readonly fundingUsd: number | null;
}

/** Execution quality and the cost of volume; ratios are null when there is nothing to measure. */
export interface ExecutionMetrics {
  readonly fills: number;
  readonly volumeUsd: number;
  /** Share of filled notional that was maker. */
  readonly makerShare: number | null;
  /** Share of fills (count) that were maker. */
  readonly makerFillShare: number | null;
  readonly postOnlyRejectionRate: number | null;
  readonly restingFillRate: number | null;
  readonly avgQueueWaitMs: number | null;
  /** Mid move against each fill 1 s / 10 s / 60 s after it, bps (positive = cost). */
  readonly adverseSelectionBps: { readonly s1: number | null; readonly s10: number | null; readonly s60: number | null };
  /** Spread captured against the mid at the fill, bps. */
  readonly spreadCaptureBps: number | null;
  /** What fills earned against the mid 60 s later, bps (capture − adverse selection). */
  readonly realisedSpreadCaptureBps: number | null;
  readonly feesUsd: number;
  readonly fundingUsd: number | null;
  readonly roundTrips: number;
  /** Closed round trips' PnL net of fees, minus funding when known. */
  readonly netPnlUsd: number;
  /** The headline: net PnL ÷ filled notional × 1e4. */
  readonly netBpsPerVolume: number | null;
  readonly nonNegativeRoundTripShare: number | null;
}

/** Computes the metrics over one range. Pure. */
export function computeExecutionMetrics(i: ExecutionInput): ExecutionMetrics {
  const volume = filledNotional(i.fills);
  const rtPnl = i.roundTrips.reduce((a, r) => a + r.pnl, 0);
  const netPnl = rtPnl - (i.fundingUsd ?? 0);
  return {
    fills: i.fills.length,
    volumeUsd: volume,
    makerShare: makerShare(i.fills),
    makerFillShare: makerFillCountShare(i.fills),
    postOnlyRejectionRate: postOnlyRejectionRate(i.orders),
    restingFillRate: restingFillRate(i.orders),
    avgQueueWaitMs: averageQueueWaitMs(i.orders),
    adverseSelectionBps: { s1: adverseSelectionBps(i.markouts, 0), s10: adverseSelectionBps(i.markouts, 1), s60: adverseSelectionBps(i.markouts, 2) },
    spreadCaptureBps: spreadCaptureAtFillBps(i.markouts),
    realisedSpreadCaptureBps: realisedSpreadCaptureBps(i.markouts, 2),
    feesUsd: feesPaid(i.fills),
    fundingUsd: i.fundingUsd,
    roundTrips: i.roundTrips.length,
    netPnlUsd: netPnl,
    netBpsPerVolume: netBpsPerVolume(netPnl, volume),
    nonNegativeRoundTripShare: nonNegativeRoundTripShare(i.roundTrips),
  };
}

/**
 * The same metrics per UTC day: fills and markouts by fill time, orders by creation, round trips
 * by close. Funding is not split by day (null per day). Days in ascending order. Pure.
 */
export function executionMetricsByDay(i: ExecutionInput): { day: string; metrics: ExecutionMetrics }[] {
  const days = new Set<string>();
  for (const f of i.fills) days.add(utcDay(f.ts));
  for (const r of i.roundTrips) days.add(utcDay(r.exitTs));
  return [...days].sort().map((day) => ({
    day,
    metrics: computeExecutionMetrics({
      fills: i.fills.filter((f) => utcDay(f.ts) === day),
      orders: i.orders.filter((o) => utcDay(o.createdTs) === day),
      roundTrips: i.roundTrips.filter((r) => utcDay(r.exitTs) === day),
      markouts: i.markouts.filter((m) => utcDay(m.ts) === day),
      fundingUsd: null,
    }),
  }));
}

/** One of seed 003's targets: actual against required. */
export interface Criterion {
  readonly name: string;
  readonly actual: number | null;
  readonly required: number;
  readonly comparison: '>=' | '<=';
  readonly met: boolean;
}

/** Seed 003's success criteria over a range: the phase gate and the execution targets behind it. */
export interface PhaseSuccess {
  readonly phase: number;
  /** The phase gate's criteria (days, round trips, 95% PnL ≥ 0, daily volume, interventions, daily profit). */
  readonly gate: readonly GateCriterion[];
  /** Seed 003's execution assumptions: 70% of fills post-only, 20+ bps spread, 8+ bps PnL per trade. */
  readonly execution: readonly Criterion[];
  readonly met: boolean;
}

/**
 * Seed 003's success criteria: the phase gate as judged once for every surface (handed in), plus
 * its execution targets over `total`. Pure.
 */
export function phaseSuccess(p: { gate: PhaseGateResult; total: ExecutionMetrics }): PhaseSuccess {
  const atLeast = (name: string, actual: number | null, required: number): Criterion => ({ name, actual, required, comparison: '>=', met: actual !== null && actual >= required });
  const execution = [
    atLeast('post_only_fill_share', p.total.makerFillShare, 0.7),
    atLeast('spread_capture_bps', p.total.spreadCaptureBps, 20),
    atLeast('net_bps_per_volume', p.total.netBpsPerVolume, 8),
  ];
  return { phase: p.gate.phase, gate: p.gate.criteria, execution, met: p.gate.criteria.every((c) => c.met) && execution.every((c) => c.met) };
}
