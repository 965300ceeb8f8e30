/**
 * Pure perp position arithmetic: average entry, realised PnL on reduction, flips through zero,
 * unrealised PnL, funding and margin. No state, no I/O.
 */
import type { Side } from '../../src/core/types.js';
import { roundNearest } from '../../src/core/tick-rounding.js';

/** A position after a fill, and the PnL the fill realised. */
export interface FillEffect {
  /** Signed base size after the fill, snapped to the lot grid. */
  readonly size: number;
  /** Average entry price of what remains open (0 when flat). */
  readonly entryPrice: number;
  /** PnL realised by the part of the fill that reduced the position (quote units). */
  readonly realized: number;
}

/**
 * Applies a fill of `qty` at `price` to a position of signed `size` opened at `entryPrice`.
 * Increasing moves the average entry; reducing realises `closed × (price − entry) × sign`;
 * crossing zero realises the whole old position and opens the rest at `price`.
 */
export function applyFillToPosition(
  size: number,
  entryPrice: number,
  side: Side,
  price: number,
  qty: number,
  lotSize: number,
): FillEffect {
  const delta = side === 'buy' ? qty : -qty;
  const next = roundNearest(size + delta, lotSize);
  if (size === 0 || Math.sign(size) === Math.sign(delta)) {
    const absNext = Math.abs(next);
    const entry = absNext > 0 ? (Math.abs(size) * entryPrice + qty * price) / absNext : 0;
    return { size: next, entryPrice: entry, realized: 0 };
  }
  const closed = Math.min(Math.abs(size), qty);
  const realized = closed * (price - entryPrice) * Math.sign(size);
  if (next === 0) return { size: 0, entryPrice: 0, realized };
  if (Math.sign(next) === Math.sign(size)) return { size: next, entryPrice, realized };
  return { size: next, entryPrice: price, realized };
}

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
