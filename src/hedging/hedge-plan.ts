import { InputError } from '../core/errors.js';
import { roundDown, roundNearest } from '../core/tick-rounding.js';
import type { Instrument, Side } from '../core/types.js';
import { requireFinite, requireNonNegative, requirePositive } from '../core/validation.js';
import { depthSizeWithinSlippage, slippageCostUsd, takenLevels, type BookSides } from './hedge-liquidity.js';
import { deltaBeta, portfolioDelta, type DeltaPosition } from './portfolio-delta.js';

/** A market the engine may trade to hedge. */
export interface HedgeCandidate {
  readonly symbol: string;
  /** Mark price, USD, > 0: the price the delta of a trade is measured at. */
  readonly mark: number;
  readonly instrument: Pick<Instrument, 'lotSize' | 'minSize' | 'minNotional' | 'takerFeeRate'>;
  /** Beta to the reference asset (> 0); overrides `betas[symbol]` when beta-adjusted. */
  readonly beta?: number;
  /** Current book; when given, a trade is capped by its depth within the slippage limit. */
  readonly book?: BookSides;
}

/** Seed 002's `HedgeTrade`, with what the executor and the journal need. */
export interface HedgeTrade {
  readonly market: string;
  readonly side: Side;
  /** Base units, a multiple of the lot, ≥ minSize, notional ≥ minNotional. */
  readonly size: number;
  /** Share of the deviation this trade removes: |delta change| ÷ |deviation|. */
  readonly hedgeRatio: number;
  /** 1 = first to send. */
  readonly priority: number;
  readonly reasoning: string;
  /** True when the trade only shrinks an existing position (send reduce-only). */
  readonly reduceOnly: boolean;
  /** size × mark, USD. */
  readonly notionalUsd: number;
  /** Signed change of portfolio delta, USD. */
  readonly deltaChangeUsd: number;
  /** Portfolio delta once this trade and those before it fill, USD. */
  readonly expectedDeltaAfter: number;
  /** Taker fee plus slippage against the mark, USD. */
  readonly estimatedCostUsd: number;
  /** False when no book was given: the cost assumes the full slippage limit and depth is unchecked. */
  readonly pricedFromBook: boolean;
}

export interface HedgePlanInput {
  readonly positions: readonly DeltaPosition[];
  readonly candidates: readonly HedgeCandidate[];
  readonly targetDeltaUsd: number;
  /** Half-width of the band around the target, USD, ≥ 0. */
  readonly toleranceUsd: number;
  readonly maxSlippageBps: number;
  readonly betaAdjusted: boolean;
  readonly betas?: Readonly<Record<string, number>>;
  readonly allowOpening: boolean;
  /** Most trades to produce (unbounded when absent). */
  readonly maxTrades?: number;
  /** Skip candidates without a book (emergency: every trade must be capped by depth). */
  readonly requireBook: boolean;
}

export interface HedgePlan {
  readonly targetDelta: number;
  readonly currentDelta: number;
  /** current − target, USD. */
  readonly deltaDeviation: number;
  readonly grossUsd: number;
  readonly withinBand: boolean;
  readonly trades: readonly HedgeTrade[];
  readonly expectedDeltaAfter: number;
  readonly expectedWithinBand: boolean;
  readonly estimatedCost: number;
  /** Notional-weighted slippage against the mark, bps. */
  readonly marketImpactBps: number;
  /** Why candidates were skipped or the band could not be reached. */
  readonly notes: readonly string[];
}

interface Step {
  readonly c: HedgeCandidate;
  /** USD delta per base unit: mark × beta. */
  readonly unit: number;
  readonly cap: number;
  readonly reduceOnly: boolean;
  readonly why: string;
}

const fmtUsd = (x: number): string => `$${x.toFixed(2)}`;

function validateCandidates(cs: readonly HedgeCandidate[]): void {
  const seen = new Set<string>();
  cs.forEach((c, k) => {
    const f = `candidates[${k}]`;
    if (typeof c.symbol !== 'string' || c.symbol.length === 0) throw new InputError(`${f}.symbol`, 'must be a non-empty string');
    if (seen.has(c.symbol)) throw new InputError(`${f}.symbol`, `duplicate symbol ${c.symbol}`);
    seen.add(c.symbol);
    requirePositive(`${f}.mark`, c.mark);
    requirePositive(`${f}.instrument.lotSize`, c.instrument.lotSize);
    requireNonNegative(`${f}.instrument.minSize`, c.instrument.minSize);
    requireNonNegative(`${f}.instrument.minNotional`, c.instrument.minNotional);
    requireFinite(`${f}.instrument.takerFeeRate`, c.instrument.takerFeeRate);
    for (const l of [...(c.book?.bids ?? []), ...(c.book?.asks ?? [])]) {
      requirePositive(`${f}.book.price`, l.price);
      requireNonNegative(`${f}.book.size`, l.size);
    }
  });
}

/**
 * The planner behind `hedgeRequirements` and `emergencyHedge`. Outside the band it walks, in
 * order: (1) reduce-only trades on the legs whose delta has the deviation's sign, heaviest first,
 * each capped by the position; (2) if `allowOpening`, trades that add exposure on the needed side,
 * legs already on that side first (the light leg of a pair), then by cost (fee + maxSlippageBps).
 * Positions are never flipped. Each trade aims at the target, sized down to the lot (and to the
 * depth within `maxSlippageBps` when a book is given); one lot more is taken only when rounding
 * down would leave the delta outside the band and one lot more lands inside it. Trades below
 * `minSize` or `minNotional` are skipped. The walk stops once inside the band. Pure.
 * @throws InputError (E_INPUT_INVALID) on a bad position, candidate, beta or parameter.
 */
export function planHedgeTrades(i: HedgePlanInput): HedgePlan {
  const target = requireFinite('targetDeltaUsd', i.targetDeltaUsd);
  const tol = requireNonNegative('toleranceUsd', i.toleranceUsd);
  const bps = requirePositive('maxSlippageBps', i.maxSlippageBps);
  const maxTrades = i.maxTrades ?? Number.POSITIVE_INFINITY;
  if (!(maxTrades >= 1)) throw new InputError('maxTrades', `must be ≥ 1, got ${String(i.maxTrades)}`);
  validateCandidates(i.candidates);
  const betas: Record<string, number> = { ...i.betas };
  for (const c of i.candidates) if (c.beta !== undefined) betas[c.symbol] = c.beta;
  const pd = portfolioDelta({ positions: i.positions, betas, betaAdjusted: i.betaAdjusted });
  const deviation = pd.deltaUsd - target;
  const base = { targetDelta: target, currentDelta: pd.deltaUsd, deltaDeviation: deviation, grossUsd: pd.grossUsd };
  if (Math.abs(deviation) <= tol) {
    return { ...base, withinBand: true, trades: [], expectedDeltaAfter: pd.deltaUsd, expectedWithinBand: true, estimatedCost: 0, marketImpactBps: 0, notes: [] };
  }
  const side: Side = deviation > 0 ? 'sell' : 'buy';
  const sign = side === 'buy' ? 1 : -1;
  const steps = orderSteps(i, betas, side, bps);
  const notes: string[] = [];
  const trades: HedgeTrade[] = [];
  let after = pd.deltaUsd;
  let cost = 0;
  let slip = 0;
  let notional = 0;
  for (const s of steps) {
    const r = Math.abs(after - target);
    if (r <= tol) break;
    if (trades.length >= maxTrades) {
      notes.push(`stopped at maxTrades ${maxTrades}`);
      break;
    }
    if (s.c.book === undefined && i.requireBook) {
      notes.push(`${s.c.symbol}: skipped, no book to cap the trade by depth`);
      continue;
    }
    const depth = s.c.book === undefined ? Number.POSITIVE_INFINITY : depthSizeWithinSlippage(takenLevels(s.c.book, side), bps);
    const cap = Math.min(s.cap, depth);
    let size = roundDown(Math.min(r / s.unit, cap), s.c.instrument.lotSize);
    if (r - size * s.unit > tol) {
      const up = roundNearest(size + s.c.instrument.lotSize, s.c.instrument.lotSize);
      if (up <= cap * (1 + 1e-12) && Math.abs(up * s.unit - r) <= tol) size = up;
    }
    if (!(size > 0)) {
      notes.push(`${s.c.symbol}: less than one lot available or needed (cap ${cap}, lot ${s.c.instrument.lotSize})`);
      continue;
    }
    const tradeNotional = size * s.c.mark;
    if (size < s.c.instrument.minSize || tradeNotional < s.c.instrument.minNotional) {
      notes.push(`${s.c.symbol}: ${size} below minSize ${s.c.instrument.minSize} or notional ${fmtUsd(tradeNotional)} below ${fmtUsd(s.c.instrument.minNotional)}`);
      continue;
    }
    const change = sign * size * s.unit;
    after += change;
    const slipUsd = slippageCostUsd(s.c.book, side, size, s.c.mark, bps);
    const tradeCost = tradeNotional * s.c.instrument.takerFeeRate + slipUsd;
    cost += tradeCost;
    slip += slipUsd;
    notional += tradeNotional;
    trades.push({
      market: s.c.symbol,
      side,
      size,
      hedgeRatio: Math.abs(change) / Math.abs(deviation),
      priority: trades.length + 1,
      reasoning: `${s.why}: ${side} ${size} ${s.c.symbol} moves delta by ${fmtUsd(change)} of a ${fmtUsd(deviation)} deviation`,
      reduceOnly: s.reduceOnly,
      notionalUsd: tradeNotional,
      deltaChangeUsd: change,
      expectedDeltaAfter: after,
      estimatedCostUsd: tradeCost,
      pricedFromBook: s.c.book !== undefined,
    });
  }
  const expectedWithinBand = Math.abs(after - target) <= tol;
  if (!expectedWithinBand) notes.push(`band not reached: ${fmtUsd(after - target)} left against a ${fmtUsd(tol)} band`);
  return {
    ...base,
    withinBand: false,
    trades,
    expectedDeltaAfter: after,
    expectedWithinBand,
    estimatedCost: cost,
    marketImpactBps: notional > 0 ? (slip / notional) * 10_000 : 0,
    notes,
  };
}

/** Reduce-only steps (heaviest leg first), then opening steps (same-side legs first, then cheapest). */
function orderSteps(i: HedgePlanInput, betas: Readonly<Record<string, number>>, side: Side, bps: number): Step[] {
  const sign = side === 'buy' ? 1 : -1;
  const size = new Map(i.positions.map((p) => [p.symbol, p.size]));
  const mark = new Map(i.positions.map((p) => [p.symbol, p.mark]));
  const reduce: (Step & { weight: number })[] = [];
  const open: (Step & { existing: boolean; costRate: number })[] = [];
  for (const c of i.candidates) {
    const unit = c.mark * deltaBeta(c.symbol, i.betaAdjusted, betas);
    const q = size.get(c.symbol) ?? 0;
    if (q !== 0 && Math.sign(q) === -sign) {
      const weight = Math.abs(q) * (mark.get(c.symbol) ?? c.mark) * (unit / c.mark);
      reduce.push({ c, unit, cap: Math.abs(q), reduceOnly: true, why: `reduce the heavier ${q > 0 ? 'long' : 'short'} leg (reduce-only)`, weight });
    } else if (i.allowOpening) {
      const existing = q !== 0;
      const why = existing ? `add to the lighter ${q > 0 ? 'long' : 'short'} leg` : 'open new hedge exposure';
      open.push({ c, unit, cap: Number.POSITIVE_INFINITY, reduceOnly: false, why, existing, costRate: c.instrument.takerFeeRate + bps / 10_000 });
    }
  }
  reduce.sort((a, b) => b.weight - a.weight || a.c.symbol.localeCompare(b.c.symbol));
  open.sort((a, b) => Number(b.existing) - Number(a.existing) || a.costRate - b.costRate || a.c.symbol.localeCompare(b.c.symbol));
  return [...reduce, ...open];
}
