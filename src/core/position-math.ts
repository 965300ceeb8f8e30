import { roundNearest } from './tick-rounding.js';
import type { Position, Side } from './types.js';

export interface PositionChange {
  readonly position: Position;
  /** PnL realised by this fill (before fees). */
  readonly realizedPnl: number;
}

const EMPTY_EPS = 1e-12;

/**
 * Applies one fill to a signed position with average-entry accounting.
 * Reductions realise PnL at the entry price; a flip opens the remainder at the fill price.
 * With `lotSize`, the new size is snapped to the lot grid so float dust never accumulates.
 */
export function applyFillToPosition(
  pos: Position,
  side: Side,
  size: number,
  price: number,
  lotSize?: number,
): PositionChange {
  const signed = side === 'buy' ? size : -size;
  const old = pos.size;
  const next = lotSize === undefined ? old + signed : roundNearest(old + signed, lotSize);
  let realized = 0;
  let entry = pos.entryPrice;
  if (old === 0 || Math.sign(old) === Math.sign(signed)) {
    const absNext = Math.abs(next);
    entry = absNext > 0 ? (Math.abs(old) * pos.entryPrice + size * price) / (Math.abs(old) + size) : 0;
  } else {
    const closed = Math.min(Math.abs(old), size);
    realized = closed * (price - pos.entryPrice) * Math.sign(old);
    if (Math.abs(next) < EMPTY_EPS) entry = 0;
    else if (Math.sign(next) !== Math.sign(old)) entry = price;
  }
  const cleanSize = Math.abs(next) < EMPTY_EPS ? 0 : next;
  return {
    position: {
      symbol: pos.symbol,
      size: cleanSize,
      entryPrice: cleanSize === 0 ? 0 : entry,
      realizedPnl: pos.realizedPnl + realized,
    },
    realizedPnl: realized,
  };
}

export function emptyPosition(symbol: string): Position {
  return { symbol, size: 0, entryPrice: 0, realizedPnl: 0 };
}

export function unrealizedPnl(pos: Position, mark: number): number {
  return pos.size === 0 ? 0 : pos.size * (mark - pos.entryPrice);
}
