import type { BookLevel } from './types.js';

/**
 * The levels of one book side within `maxSlippageBps` of the touch, best first: the liquidity an
 * IOC may take under the slippage cap. Shared by sizing (notional) and hedging (size). Pure.
 */
export function levelsWithinSlippage(levels: readonly BookLevel[], maxSlippageBps: number): readonly BookLevel[] {
  const touch = levels[0]?.price;
  if (touch === undefined) return [];
  const band = (touch * maxSlippageBps) / 10_000;
  let n = 0;
  while (n < levels.length && Math.abs(levels[n]!.price - touch) <= band + 1e-12) n++;
  return levels.slice(0, n);
}

/**
 * Quote notional available on one side of a book within `maxSlippageBps` of the touch.
 * `levels` are best first (asks for a buy, bids for a sell). Pure.
 */
export function depthWithinSlippage(levels: readonly BookLevel[], maxSlippageBps: number): number {
  return levelsWithinSlippage(levels, maxSlippageBps).reduce((a, l) => a + l.price * l.size, 0);
}
