import type { TouchBook } from '../../src/core/book-touch.js';
import { stepDecimals } from '../../src/core/tick-rounding.js';
import type { Book, BookLevel } from '../../src/core/types.js';
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
  const grid = new BookGrid(tickSize, lotSize, params);
  return (price, quoteVolume) => grid.sides(price, quoteVolume);
}

/**
 * One instrument's book grid, worked out once: the sides of a synthetic book, and its touch
 * prices without building a level (the same doubles as the first level of each side).
 */
export class BookGrid {
  // Integer step counts to clean decimals: `k × step` without float dust.
  private readonly tickScale: number;
  private readonly tickUnits: number;
  private readonly lotScale: number;
  private readonly lotUnits: number;

  constructor(
    private readonly tickSize: number,
    private readonly lotSize: number,
    private readonly params: SyntheticBookParams,
  ) {
    this.tickScale = 10 ** stepDecimals(tickSize);
    this.tickUnits = Math.round(tickSize * this.tickScale);
    this.lotScale = 10 ** stepDecimals(lotSize);
    this.lotUnits = Math.round(lotSize * this.lotScale);
  }

  /** Tick count of the best bid (no bid level when ≤ 0). */
  bidK(price: number): number {
    const halfSpread = Math.max(this.tickSize, (price * this.params.halfSpreadBps) / 1e4);
    return Math.floor((price - halfSpread) / this.tickSize + EPS);
  }

  /** Tick count of the best ask. */
  private askK(price: number, bidK: number): number {
    const halfSpread = Math.max(this.tickSize, (price * this.params.halfSpreadBps) / 1e4);
    return Math.max(bidK + 1, Math.ceil((price + halfSpread) / this.tickSize - EPS));
  }

  /** `sides(price, …).bids[0]?.price`, without building the sides. */
  bestBid(price: number): number | undefined {
    return this.touchBid(this.bidK(price));
  }

  /** `sides(price, …).asks[0]?.price`, without building the sides (a book always has asks). */
  bestAsk(price: number): number | undefined {
    return this.touchAsk(price, this.bidK(price));
  }

  /** {@link bestBid} from the best bid's tick count `bidK` (from {@link bidK}). */
  touchBid(bidK: number): number | undefined {
    return bidK > 0 && this.params.levels > 0 ? (bidK * this.tickUnits) / this.tickScale : undefined;
  }

  /** {@link bestAsk} from the best bid's tick count `bidK` (from {@link bidK}). */
  touchAsk(price: number, bidK: number): number | undefined {
    return this.params.levels > 0 ? (this.askK(price, bidK) * this.tickUnits) / this.tickScale : undefined;
  }

  sides(price: number, quoteVolume: number): SyntheticBookSides {
    const { tickSize, lotSize, tickScale, tickUnits, lotScale, lotUnits } = this;
    const { levelSpacingBps, minTouchDepthUsd, touchDepthVolumeShare, depthGrowthPerLevel, levels } = this.params;
    const bidK = this.bidK(price);
    const askK = this.askK(price, bidK);
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
  }
}

/**
 * A replayed book: its symbol, stamp, sequence, path price and the candle's quote volume. Its
 * levels (those {@link syntheticBook} gives) are built on first read; its touch is told without
 * them. Most books are only read at the touch (mids, marks). Immutable; serialises
 * (`JSON.stringify`) exactly as a plain Book with the same fields.
 */
export class SyntheticTouchBook implements TouchBook {
  readonly symbol: string;
  readonly ts: number;
  readonly seq: number;
  readonly #grid: BookGrid;
  readonly #price: number;
  readonly #quoteVolume: number;
  #sides: SyntheticBookSides | undefined;
  // The touch, worked out on its first read: the runtime reads a book's mid several times.
  #touched = false;
  #bid: number | undefined = undefined;
  #ask: number | undefined = undefined;

  constructor(symbol: string, ts: number, seq: number, grid: BookGrid, price: number, quoteVolume: number) {
    this.symbol = symbol;
    this.ts = ts;
    this.seq = seq;
    this.#grid = grid;
    this.#price = price;
    this.#quoteVolume = quoteVolume;
  }

  get bids(): readonly BookLevel[] {
    return (this.#sides ??= this.#grid.sides(this.#price, this.#quoteVolume)).bids;
  }

  get asks(): readonly BookLevel[] {
    return (this.#sides ??= this.#grid.sides(this.#price, this.#quoteVolume)).asks;
  }

  get bestBid(): number | undefined {
    if (!this.#touched) this.#touch();
    return this.#bid;
  }

  get bestAsk(): number | undefined {
    if (!this.#touched) this.#touch();
    return this.#ask;
  }

  #touch(): void {
    const sides = this.#sides;
    if (sides !== undefined) {
      this.#bid = sides.bids[0]?.price;
      this.#ask = sides.asks[0]?.price;
    } else {
      const bidK = this.#grid.bidK(this.#price);
      this.#bid = this.#grid.touchBid(bidK);
      this.#ask = this.#grid.touchAsk(this.#price, bidK);
    }
    this.#touched = true;
  }

  toJSON(): Book {
    return { symbol: this.symbol, ts: this.ts, seq: this.seq, bids: this.bids, asks: this.asks };
  }
}
