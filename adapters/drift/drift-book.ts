import type { BookLevel } from '../../src/core/types.js';

/** A book whose best bid is below its best ask, and how much crossed liquidity was netted out. */
export interface UncrossedBook {
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
  /** Base size matched away on each side (0 when the book was not crossed). */
  readonly nettedSize: number;
}

/**
 * Nets out the crossed part of a DLOB book the way a filler would match it: while the best bid is
 * at or above the best ask, the smaller of the two levels is consumed from both. What remains is
 * the liquidity left after those crosses fill, which is what an order of ours can meet.
 *
 * Why: Drift's grouped book channels keep crossed levels on purpose (resting DLOB orders and the
 * vAMM overlap until a filler matches them), while our engine needs bid < ask. Pure; the inputs
 * are best first and are not modified.
 */
export function uncrossBook(bids: readonly BookLevel[], asks: readonly BookLevel[]): UncrossedBook {
  const b = bids.map((l) => ({ ...l }));
  const a = asks.map((l) => ({ ...l }));
  let i = 0;
  let j = 0;
  let netted = 0;
  while (i < b.length && j < a.length && b[i]!.price >= a[j]!.price) {
    const q = Math.min(b[i]!.size, a[j]!.size);
    netted += q;
    b[i]!.size -= q;
    a[j]!.size -= q;
    // Sizes are summed floats: a remainder below a nano-unit is nothing left.
    if (b[i]!.size <= 1e-9) i++;
    if (a[j]!.size <= 1e-9) j++;
  }
  return { bids: b.slice(i), asks: a.slice(j), nettedSize: netted };
}
