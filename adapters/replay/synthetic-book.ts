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
  return syntheticBookMaker(input.tickSize, input.lotSize, input.params)(input.price, input.quoteVolume);
}

/** {@link syntheticBook} for one instrument: `(price, quoteVolume) → sides`. */
export type SyntheticBookMaker = (price: number, quoteVolume: number) => SyntheticBookSides;

/**
 * {@link syntheticBook} with the instrument's grid worked out once: the replay draws a book per
 * path point and symbol (about a million in six weeks), each the same as `syntheticBook` gives.
 */
export function syntheticBookMaker(tickSize: number, lotSize: number, params: SyntheticBookParams): SyntheticBookMaker {
  // Integer step counts to clean decimals: `k × step` without float dust.
  const tickScale = 10 ** stepDecimals(tickSize);
  const tickUnits = Math.round(tickSize * tickScale);
  const lotScale = 10 ** stepDecimals(lotSize);
  const lotUnits = Math.round(lotSize * lotScale);
  const { halfSpreadBps, levelSpacingBps, minTouchDepthUsd, touchDepthVolumeShare, depthGrowthPerLevel, levels } = params;
  return (price, quoteVolume) => {
    const halfSpread = Math.max(tickSize, (price * halfSpreadBps) / 1e4);
    const bidK = Math.floor((price - halfSpread) / tickSize + EPS);
    const askK = Math.max(bidK + 1, Math.ceil((price + halfSpread) / tickSize - EPS));
    const spacingK = Math.max(1, Math.round((price * levelSpacingBps) / 1e4 / tickSize));
    const touchQuote = Math.max(minTouchDepthUsd, touchDepthVolumeShare * quoteVolume);
    const bids: BookLevel[] = [];
    const asks: BookLevel[] = [];
    for (let i = 0; i < levels; i++) {
      const quote = touchQuote * (1 + i * depthGrowthPerLevel);
      const bk = bidK - i * spacingK;
      if (bk > 0) {
        const p = (bk * tickUnits) / tickScale;
        bids.push({ price: p, size: (Math.max(1, Math.floor(quote / p / lotSize + EPS)) * lotUnits) / lotScale });
      }
      const ap = ((askK + i * spacingK) * tickUnits) / tickScale;
      asks.push({ price: ap, size: (Math.max(1, Math.floor(quote / ap / lotSize + EPS)) * lotUnits) / lotScale });
    }
    return { bids, asks };
  };
}
