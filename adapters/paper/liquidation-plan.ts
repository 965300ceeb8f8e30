/**
 * Pure planning of a liquidation: every open position is closed at its mark as a taker, paying the
 * liquidation fee on the notional closed.
 */
import type { Position, Side } from '../../src/core/types.js';
import type { PriceOf } from './paper-account.js';

/** One closing fill of a liquidation. */
export interface LiquidationLeg {
  readonly symbol: string;
  readonly side: Side;
  readonly size: number;
  readonly price: number;
  readonly fee: number;
}

/** Closes each position at its mark (its entry price when no mark is known). */
export function planLiquidation(
  positions: readonly Position[],
  markOf: PriceOf,
  liquidationFeeRate: number,
): LiquidationLeg[] {
  return positions
    .filter((p) => p.size !== 0)
    .map((p) => {
      const price = markOf(p.symbol) ?? p.entryPrice;
      const size = Math.abs(p.size);
      return {
        symbol: p.symbol,
        side: p.size > 0 ? ('sell' as const) : ('buy' as const),
        size,
        price,
        fee: size * price * liquidationFeeRate,
      };
    });
}
