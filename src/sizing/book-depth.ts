import { levelsWithinSlippage } from '../core/book-depth.js';
import type { BookLevel } from '../core/types.js';

/**
 * Quote notional available on one side of a book within `maxSlippageBps` of the touch.
 * `levels` are best first (asks for a buy, bids for a sell). Pure.
 */
export function depthWithinSlippage(levels: readonly BookLevel[], maxSlippageBps: number): number {
  return levelsWithinSlippage(levels, maxSlippageBps).reduce((a, l) => a + l.price * l.size, 0);
}
