import type { BookLevel } from '../core/types.js';

/**
 * Quote notional available on one side of a book within `maxSlippageBps` of the touch.
 * `levels` are best first (asks for a buy, bids for a sell). Pure.
 */
export function depthWithinSlippage(levels: readonly BookLevel[], maxSlippageBps: number): number {
  const touch = levels[0]?.price;
  if (touch === undefined) return 0;
  const band = (touch * maxSlippageBps) / 10_000;
  let notional = 0;
  for (const l of levels) {
    if (Math.abs(l.price - touch) > band + 1e-12) break;
    notional += l.price * l.size;
  }
  return notional;
}

/** Worst price reached walking `size` into `levels`, or null when the visible depth is short. */
export function walkPrice(levels: readonly BookLevel[], size: number): number | null {
  let left = size;
  for (const l of levels) {
    left -= l.size;
    if (left <= 1e-12) return l.price;
  }
  return null;
}
