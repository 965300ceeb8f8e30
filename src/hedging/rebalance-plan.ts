import { ConfigError, ErrorCodes } from '../core/errors.js';
import { roundDown } from '../core/tick-rounding.js';
import type { Instrument, Side } from '../core/types.js';
import { requireFinite, requirePositive } from '../core/validation.js';

/** A held (or targeted) market: signed base size and mark. */
export interface RebalanceMarket {
  readonly symbol: string;
  /** Signed base size held now (0 when flat). */
  readonly size: number;
  readonly mark: number;
  readonly instrument: Pick<Instrument, 'lotSize' | 'minSize' | 'minNotional'>;
}

export interface RebalanceTrade {
  readonly market: string;
  readonly side: Side;
  /** Base units on the lot grid. */
  readonly size: number;
  /** True when the trade only shrinks the position (never flips it). */
  readonly reduceOnly: boolean;
  readonly fromNotionalUsd: number;
  readonly toNotionalUsd: number;
  readonly notionalUsd: number;
}

/** Seed 002's `RebalanceResult`, planned: what to send and what stays off target. */
export interface RebalancePlan {
  readonly trades: readonly RebalanceTrade[];
  /** Markets left where they are, and why (already there, less than a lot, below the minimum). */
  readonly skipped: readonly { readonly market: string; readonly reason: string }[];
  readonly grossBeforeUsd: number;
  readonly grossAfterUsd: number;
  readonly netBeforeUsd: number;
  readonly netAfterUsd: number;
}

/** What a target may not exceed (seed 002's `RiskLimits`). */
export interface RebalanceLimits {
  readonly maxPositionSizePercent: number;
  readonly maxPositionSizeUsd: number;
  readonly maxPortfolioLeverage: number;
}

/**
 * Parses `SYMBOL=FRACTION,...` (signed notional as a share of equity: ETH-PERP=0.1,SOL-PERP=-0.1).
 * @throws ConfigError (E_CLI_USAGE) naming `--target` or `--target.SYMBOL` on a malformed entry,
 * an unknown or repeated symbol, or a target over a limit.
 */
export function parseRebalanceTargets(text: string, known: ReadonlySet<string>, equityUsd: number, limits: RebalanceLimits): Map<string, number> {
  const usage = (field: string, msg: string): ConfigError => new ConfigError(field, msg, ErrorCodes.CLI_USAGE);
  const out = new Map<string, number>();
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  if (parts.length === 0) throw usage('--target', 'expected SYMBOL=FRACTION[,SYMBOL=FRACTION…], e.g. ETH-PERP=0.1,SOL-PERP=-0.1');
  for (const p of parts) {
    const m = /^([^=\s]+)=(-?\d+(?:\.\d+)?)$/.exec(p);
    if (!m) throw usage('--target', `expected SYMBOL=FRACTION, got "${p}"`);
    const [, symbol, value] = m as unknown as [string, string, string];
    if (!known.has(symbol)) throw usage(`--target.${symbol}`, `unknown market (known: ${[...known].sort().join(', ')})`);
    if (out.has(symbol)) throw usage(`--target.${symbol}`, 'given twice');
    const f = Number(value);
    if (Math.abs(f) > limits.maxPositionSizePercent) throw usage(`--target.${symbol}`, `|${f}| of equity is over maxPositionSizePercent ${limits.maxPositionSizePercent}`);
    if (Math.abs(f) * equityUsd > limits.maxPositionSizeUsd) throw usage(`--target.${symbol}`, `$${(Math.abs(f) * equityUsd).toFixed(2)} is over maxPositionSizeUsd ${limits.maxPositionSizeUsd}`);
    out.set(symbol, f);
  }
  const gross = [...out.values()].reduce((a, f) => a + Math.abs(f), 0);
  if (gross > limits.maxPortfolioLeverage) throw usage('--target', `gross ${gross} × equity is over maxPortfolioLeverage ${limits.maxPortfolioLeverage}`);
  return out;
}

/**
 * Seed 002's `rebalance_portfolio(target_allocations)`: for each targeted market, the trade from
 * the notional held to `fraction × equity` (markets not targeted are left alone). A trade that
 * crosses zero is split into a reduce-only close and an opening trade, so the close is never
 * refused for exceeding the position. Sizes are rounded down to the lot; what rounds to nothing or
 * falls under the venue's minimums is skipped and named. Pure.
 * @throws InputError (E_INPUT_INVALID) on equity not > 0, a non-finite size or target, a mark not > 0.
 */
export function planRebalance(markets: readonly RebalanceMarket[], targets: ReadonlyMap<string, number>, equityUsd: number): RebalancePlan {
  const equity = requirePositive('equityUsd', equityUsd);
  const trades: RebalanceTrade[] = [];
  const skipped: { market: string; reason: string }[] = [];
  let grossBefore = 0;
  let netBefore = 0;
  let grossAfter = 0;
  let netAfter = 0;
  for (const m of markets) {
    const size = requireFinite(`${m.symbol}.size`, m.size);
    const mark = requirePositive(`${m.symbol}.mark`, m.mark);
    const from = size * mark;
    grossBefore += Math.abs(from);
    netBefore += from;
    const f = targets.get(m.symbol);
    if (f === undefined) {
      grossAfter += Math.abs(from);
      netAfter += from;
      continue;
    }
    const target = roundTowardZero(requireFinite(`targets.${m.symbol}`, f) * equity / mark, m.instrument.lotSize);
    const legs: { delta: number; reduceOnly: boolean }[] = [];
    if (size !== 0 && Math.sign(target) !== Math.sign(size)) {
      legs.push({ delta: -size, reduceOnly: true });
      if (target !== 0) legs.push({ delta: target, reduceOnly: false });
    } else {
      legs.push({ delta: target - size, reduceOnly: Math.abs(target) < Math.abs(size) });
    }
    let held = size;
    for (const l of legs) {
      const q = roundDown(Math.abs(l.delta), m.instrument.lotSize);
      if (!(q > 0)) {
        skipped.push({ market: m.symbol, reason: Math.abs(l.delta) === 0 ? 'already at target' : `less than one lot (${m.instrument.lotSize}) from target` });
        continue;
      }
      if (q < m.instrument.minSize || q * mark < m.instrument.minNotional) {
        skipped.push({ market: m.symbol, reason: `${q} is below minSize ${m.instrument.minSize} or notional $${(q * mark).toFixed(2)} below $${m.instrument.minNotional}` });
        continue;
      }
      const side: Side = l.delta > 0 ? 'buy' : 'sell';
      const after = held + (side === 'buy' ? q : -q);
      trades.push({ market: m.symbol, side, size: q, reduceOnly: l.reduceOnly, fromNotionalUsd: held * mark, toNotionalUsd: after * mark, notionalUsd: q * mark });
      held = after;
    }
    grossAfter += Math.abs(held * mark);
    netAfter += held * mark;
  }
  return { trades, skipped, grossBeforeUsd: grossBefore, grossAfterUsd: grossAfter, netBeforeUsd: netBefore, netAfterUsd: netAfter };
}

/** To the lot grid, toward zero: a target never rounds past the allocation asked for. */
function roundTowardZero(v: number, lot: number): number {
  return Math.sign(v) * roundDown(Math.abs(v), lot);
}
