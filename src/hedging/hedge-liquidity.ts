import { levelsWithinSlippage } from '../core/book-depth.js';
import type { BookLevel, Side } from '../core/types.js';

/** The two sides of an L2 book, best first (the shape of `Book` without its metadata). */
export interface BookSides {
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

/** The levels a trade takes: asks for a buy, bids for a sell. */
export function takenLevels(book: BookSides, side: Side): readonly BookLevel[] {
  return side === 'buy' ? book.asks : book.bids;
}

/**
 * Base size available within `maxSlippageBps` of the touch on `levels` (best first): the most a
 * hedge may take without walking past the slippage limit. 0 for an empty side. Pure.
 */
export function depthSizeWithinSlippage(levels: readonly BookLevel[], maxSlippageBps: number): number {
  return levelsWithinSlippage(levels, maxSlippageBps).reduce((a, l) => a + l.size, 0);
}

/**
 * Average price of taking `size` from `levels` (best first); null when the visible depth is short
 * or `size` ≤ 0. Pure.
 */
export function averageFillPrice(levels: readonly BookLevel[], size: number): number | null {
  if (!(size > 0)) return null;
  let left = size;
  let cost = 0;
  for (const l of levels) {
    const take = Math.min(left, l.size);
    cost += take * l.price;
    left -= take;
    if (left <= size * 1e-12) return cost / size;
  }
  return null;
}

/**
 * Slippage cost of a trade against the mark, USD (negative when the book is better than the
 * mark): (avg − mark) × size for a buy, (mark − avg) × size for a sell. Without a book, or when the
 * book cannot fill the size, the worst the slippage limit allows: notional × maxSlippageBps.
 */
export function slippageCostUsd(book: BookSides | undefined, side: Side, size: number, mark: number, maxSlippageBps: number): number {
  const avg = book === undefined ? null : averageFillPrice(takenLevels(book, side), size);
  if (avg === null) return (size * mark * maxSlippageBps) / 10_000;
  return side === 'buy' ? (avg - mark) * size : (mark - avg) * size;
}
