import { stepDecimals } from '../../src/core/tick-rounding.js';
import type { BookLevel } from '../../src/core/types.js';
import type { ReplayConfig } from './replay-config.js';

export type SyntheticBookParams = ReplayConfig['book'];

export interface SyntheticBookInput {
  /** Centre of the book: the path price. */
  readonly price: number;
  readonly tickSize: number;
  readonly lotSize: number;
  /** The candle's traded volume in quote units (volume × close). */
  readonly quoteVolume: number;
  readonly params: SyntheticBookParams;
}

export interface SyntheticBookSides {
  /** Best (highest) first. */
  readonly bids: BookLevel[];
  /** Best (lowest) first. */
  readonly asks: BookLevel[];
}

const EPS = 1e-9;

/** Converts integer step counts to clean decimals: `k × step` without float dust. */
function gridValue(step: number): (k: number) => number {
  const scale = 10 ** stepDecimals(step);
  const units = Math.round(step * scale);
  return (k) => (k * units) / scale;
}

/**
 * A synthetic L2 book around a price. Assumptions (see the replay README):
 * - half-spread = max(one tick, `halfSpreadBps` of the price); best bid is price − half-spread
 *   rounded DOWN to the tick, best ask price + half-spread rounded UP, so bid < ask always;
 * - levels are `levelSpacingBps` apart (at least one tick), all on the tick grid, prices > 0;
 * - touch depth per side = max(`minTouchDepthUsd`, `touchDepthVolumeShare` × quote volume), level
 *   i holds touch × (1 + i × `depthGrowthPerLevel`) in quote units, converted to base at the
 *   level's price and rounded down to the lot (at least one lot).
 * Pure.
 */
export function syntheticBook(input: SyntheticBookInput): SyntheticBookSides {
  const { price, tickSize, lotSize, quoteVolume, params } = input;
  const tickPrice = gridValue(tickSize);
  const lotQty = gridValue(lotSize);
  const halfSpread = Math.max(tickSize, (price * params.halfSpreadBps) / 1e4);
  const bidK = Math.floor((price - halfSpread) / tickSize + EPS);
  const askK = Math.max(bidK + 1, Math.ceil((price + halfSpread) / tickSize - EPS));
  const spacingK = Math.max(1, Math.round((price * params.levelSpacingBps) / 1e4 / tickSize));
  const touchQuote = Math.max(params.minTouchDepthUsd, params.touchDepthVolumeShare * quoteVolume);

  const sizeAt = (levelPrice: number, level: number): number => {
    const quote = touchQuote * (1 + level * params.depthGrowthPerLevel);
    const lots = Math.max(1, Math.floor(quote / levelPrice / lotSize + EPS));
    return lotQty(lots);
  };

  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  for (let i = 0; i < params.levels; i++) {
    const bk = bidK - i * spacingK;
    if (bk > 0) {
      const p = tickPrice(bk);
      bids.push({ price: p, size: sizeAt(p, i) });
    }
    const ap = tickPrice(askK + i * spacingK);
    asks.push({ price: ap, size: sizeAt(ap, i) });
  }
  return { bids, asks };
}
