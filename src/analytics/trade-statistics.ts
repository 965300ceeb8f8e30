import { ratioOrNull, requireNonNegativeNumber, requireSeries } from './analytics-input.js';

/**
 * Seed 002's trade-level performance metrics over closed round trips (PnL per round trip, in
 * quote currency, net of fees). A round trip whose |PnL| ≤ `breakevenTolerance` is breakeven:
 * neither a win nor a loss, but it counts in `totalTrades` (so win rate = wins / all trades).
 * Fields that need at least one trade of a kind are `null` without one; none is ever NaN.
 */
export interface TradeStatistics {
  readonly totalTrades: number;
  readonly winningTrades: number;
  readonly losingTrades: number;
  readonly breakevenTrades: number;
  /** wins / totalTrades; `null` with no trades. */
  readonly winRate: number | null;
  /** Σ winning PnL (≥ 0). */
  readonly grossProfit: number;
  /** |Σ losing PnL| (≥ 0). */
  readonly grossLoss: number;
  /** grossProfit / grossLoss; `null` with no losing trade (undefined, not ∞) or on overflow. */
  readonly profitFactor: number | null;
  /** Σ PnL. */
  readonly netPnl: number;
  /** netPnl / totalTrades (the expectancy per round trip); `null` with no trades. */
  readonly averagePnl: number | null;
  /** Mean winning PnL (> 0); `null` with no wins. */
  readonly averageWin: number | null;
  /** Mean losing PnL, **negative**; `null` with no losses. */
  readonly averageLoss: number | null;
  /** Largest winning PnL; `null` with no wins. */
  readonly largestWin: number | null;
  /** Most negative losing PnL; `null` with no losses. */
  readonly largestLoss: number | null;
}

export interface TradeStatisticsOptions {
  /** |PnL| at or below this is breakeven. Default 0 (only an exact 0 is breakeven). */
  readonly breakevenTolerance?: number;
}

/**
 * Win rate, profit factor, average and largest win/loss and counts of round-trip PnLs. An empty
 * list is not an error (no trades yet): counts 0, ratios `null`.
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on a non-finite PnL or a negative tolerance.
 */
export function tradeStatistics(pnls: readonly number[], opts: TradeStatisticsOptions = {}): TradeStatistics {
  requireSeries('pnls', pnls, 0);
  const tolerance = requireNonNegativeNumber('breakevenTolerance', opts.breakevenTolerance ?? 0);
  let wins = 0;
  let losses = 0;
  let breakeven = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let net = 0;
  let largestWin: number | null = null;
  let largestLoss: number | null = null;
  for (const p of pnls) {
    net += p;
    if (Math.abs(p) <= tolerance) {
      breakeven++;
    } else if (p > 0) {
      wins++;
      grossProfit += p;
      if (largestWin === null || p > largestWin) largestWin = p;
    } else {
      losses++;
      grossLoss -= p;
      if (largestLoss === null || p < largestLoss) largestLoss = p;
    }
  }
  const total = pnls.length;
  return {
    totalTrades: total,
    winningTrades: wins,
    losingTrades: losses,
    breakevenTrades: breakeven,
    winRate: total === 0 ? null : wins / total,
    grossProfit,
    grossLoss,
    profitFactor: ratioOrNull(grossProfit, grossLoss),
    netPnl: net,
    averagePnl: total === 0 ? null : net / total,
    averageWin: wins === 0 ? null : grossProfit / wins,
    averageLoss: losses === 0 ? null : -grossLoss / losses,
    largestWin,
    largestLoss,
  };
}
