/**
 * Pure perp account arithmetic: unrealised PnL, funding and margin. No state, no I/O.
 * Fills move positions through `applyFillToPosition` in `src/core/position-math.ts`; this file
 * holds the account side only.
 */

/** Unrealised PnL of a signed position at `mark`. */
export function unrealizedPnl(size: number, entryPrice: number, mark: number): number {
  return size * (mark - entryPrice);
}

/**
 * Funding paid by a signed position over `periods` intervals: positive = paid (a long with a
 * positive rate), negative = received.
 */
export function fundingPayment(size: number, mark: number, rate: number, periods = 1): number {
  return size * mark * rate * periods;
}

/** Margin of `absSize` base units at `price` for a margin `ratio` of notional. */
export function marginFor(absSize: number, price: number, ratio: number): number {
  return Math.abs(absSize) * price * ratio;
}
