/**
 * Taking liquidity: walking the visible depth level by level, and remembering what our own taker
 * orders consumed at each level until the next book for that symbol replaces it.
 */
import type { BookLevel, Side } from '../../src/core/types.js';
import { roundDown, roundNearest } from '../../src/core/tick-rounding.js';

/** A slice of a taker order filled at one book level. */
export interface TakerSlice {
  readonly price: number;
  readonly size: number;
}

/** Inputs of {@link walkDepth}. */
export interface WalkDepthInput {
  /** Opposite side of the book, best first (asks for a buy, bids for a sell). */
  readonly levels: readonly BookLevel[];
  /** Side of the taker order. */
  readonly side: Side;
  readonly size: number;
  /** Worst acceptable price; undefined = no limit (a bare market order). */
  readonly limit: number | undefined;
  readonly lotSize: number;
  /** Size already consumed at a price by our earlier taker orders on this book. */
  readonly consumedAt: (price: number) => number;
}

/**
 * Fills `size` against `levels` best first, never beyond `limit`, taking at most the visible size
 * not yet consumed at each level, each slice rounded down to the lot grid. A slice is never
 * priced better for the taker's counterparty than the limit: a buy pays ≤ limit, a sell gets ≥ limit.
 */
export function walkDepth(input: WalkDepthInput): TakerSlice[] {
  const out: TakerSlice[] = [];
  let remaining = input.size;
  for (const level of input.levels) {
    if (remaining <= 0) break;
    if (!withinLimit(input.side, level.price, input.limit)) break;
    const available = level.size - input.consumedAt(level.price);
    const take = roundDown(Math.max(0, Math.min(remaining, available)), input.lotSize);
    if (take <= 0) continue;
    out.push({ price: level.price, size: take });
    remaining = roundNearest(remaining - take, input.lotSize);
  }
  return out;
}

/** Best level price still offering unconsumed size, or undefined when the side is exhausted. */
export function effectiveTop(
  levels: readonly BookLevel[],
  consumedAt: (price: number) => number,
): number | undefined {
  for (const level of levels) {
    if (level.size - consumedAt(level.price) > 0) return level.price;
  }
  return undefined;
}

/** VWAP of slices, or undefined when empty. */
export function slicesVwap(slices: readonly TakerSlice[]): number | undefined {
  let notional = 0;
  let size = 0;
  for (const s of slices) {
    notional += s.price * s.size;
    size += s.size;
  }
  return size > 0 ? notional / size : undefined;
}

function withinLimit(side: Side, price: number, limit: number | undefined): boolean {
  if (limit === undefined) return true;
  return side === 'buy' ? price <= limit : price >= limit;
}

/**
 * Per (symbol, book side, price) size our taker orders already took from the current book, so two
 * orders cannot both eat the same visible size. Cleared when a new book for the symbol arrives.
 */
export class ConsumedLiquidity {
  private readonly bySymbol = new Map<string, { bids: Map<number, number>; asks: Map<number, number> }>();

  at(symbol: string, bookSide: 'bids' | 'asks', price: number): number {
    return this.bySymbol.get(symbol)?.[bookSide].get(price) ?? 0;
  }

  add(symbol: string, bookSide: 'bids' | 'asks', price: number, size: number): void {
    let entry = this.bySymbol.get(symbol);
    if (entry === undefined) {
      entry = { bids: new Map(), asks: new Map() };
      this.bySymbol.set(symbol, entry);
    }
    const m = entry[bookSide];
    m.set(price, (m.get(price) ?? 0) + size);
  }

  clear(symbol: string): void {
    // Called on every book: most books follow no taker order of ours.
    if (this.bySymbol.size !== 0) this.bySymbol.delete(symbol);
  }
}
