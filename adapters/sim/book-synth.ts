import type { SeededRng } from '../../src/core/rng.js';
import type { TouchBook } from '../../src/core/book-touch.js';
import type { Book, BookLevel } from '../../src/core/types.js';
import { ceilSteps, floorSteps } from '../../src/core/tick-rounding.js';
import { fromSteps, gridScale, type GridScale } from './grid-scale.js';
import type { SimSymbolConfig } from './sim-config.js';

/**
 * Synthetic L2 books around a mid price.
 *
 * Shape: the touches sit `halfSpreadTicks` from the mid (bid rounded down, ask rounded up, so
 * they are always at least one tick apart); further levels step away by `levelSpacingTicks`.
 * Level i holds `touchDepthUsd · (1 + depthGrowthPerLevel)^i · (1 ± depthJitter)` USD, converted
 * to base at the level's price and rounded down to the lot grid (at least one lot).
 *
 * Work happens on integer tick and lot counts in a reusable {@link LevelScratch}. A Book keeps a
 * copy of those counts and builds its level objects on first read ({@link buildBook}).
 */

/** Per-symbol constants for the synthesiser, computed once. */
export interface BookShape {
  readonly symbol: string;
  readonly levels: number;
  readonly tick: GridScale;
  /** Half a tick: the grid of a mid between two tick prices. */
  readonly halfTick: GridScale;
  readonly lot: GridScale;
  readonly halfSpreadTicks: number;
  readonly levelSpacingTicks: number;
  readonly depthJitter: number;
  /** Un-jittered USD depth per level, touch first. */
  readonly depthUsd: Float64Array;
}

/** Book levels as integer tick prices and integer lot sizes; a size of 0 means "no level". */
export interface LevelScratch {
  readonly bidTicks: Float64Array;
  readonly bidLots: Float64Array;
  readonly askTicks: Float64Array;
  readonly askLots: Float64Array;
}

/** Pure: the shape for one symbol's config and the number of levels per side. */
export function bookShapeFor(symbol: string, s: SimSymbolConfig, levels: number): BookShape {
  const depthUsd = new Float64Array(levels);
  for (let i = 0; i < levels; i++) depthUsd[i] = s.touchDepthUsd * Math.pow(1 + s.depthGrowthPerLevel, i);
  return {
    symbol,
    levels,
    tick: gridScale(s.tickSize),
    halfTick: gridScale(s.tickSize / 2),
    lot: gridScale(s.lotSize),
    halfSpreadTicks: s.halfSpreadTicks,
    levelSpacingTicks: s.levelSpacingTicks,
    depthJitter: s.depthJitter,
    depthUsd,
  };
}

/** A zeroed scratch for `levels` levels per side. */
export function createLevelScratch(levels: number): LevelScratch {
  return {
    bidTicks: new Float64Array(levels),
    bidLots: new Float64Array(levels),
    askTicks: new Float64Array(levels),
    askLots: new Float64Array(levels),
  };
}

function lotsFor(usd: number, priceTicks: number, shape: BookShape, rng: SeededRng): number {
  const price = priceTicks * shape.tick.step;
  const jitter = 1 + shape.depthJitter * (2 * rng.next() - 1);
  const lots = Math.floor((usd * jitter) / price / shape.lot.step + 1e-9);
  return lots >= 1 ? lots : 1;
}

/**
 * Fill `out` with a fresh book around `mid` (deterministic in the rng draws: one per level).
 * Bid levels that would reach a price ≤ 0 are left empty (size 0).
 */
export function synthesizeLevels(shape: BookShape, mid: number, rng: SeededRng, out: LevelScratch): void {
  const tick = shape.tick.step;
  let bestBid = floorSteps(mid - shape.halfSpreadTicks * tick, tick);
  let bestAsk = ceilSteps(mid + shape.halfSpreadTicks * tick, tick);
  if (bestBid < 1) bestBid = 1;
  if (bestAsk <= bestBid) bestAsk = bestBid + 1;
  const spacing = shape.levelSpacingTicks;
  for (let i = 0; i < shape.levels; i++) {
    const usd = shape.depthUsd[i] ?? 0;
    const b = bestBid - i * spacing;
    out.bidTicks[i] = b;
    out.bidLots[i] = b >= 1 ? lotsFor(usd, b, shape, rng) : 0;
    const a = bestAsk + i * spacing;
    out.askTicks[i] = a;
    out.askLots[i] = lotsFor(usd, a, shape, rng);
  }
}

function sideLevels(counts: readonly number[], ticksAt: number, lotsAt: number, shape: BookShape): BookLevel[] {
  let n = 0;
  for (let i = 0; i < shape.levels; i++) if ((counts[lotsAt + i] ?? 0) >= 1) n++;
  const out = new Array<BookLevel>(n);
  for (let i = 0, k = 0; i < shape.levels; i++) {
    const l = counts[lotsAt + i] ?? 0;
    if (l >= 1) out[k++] = { price: fromSteps(counts[ticksAt + i] ?? 0, shape.tick), size: fromSteps(l, shape.lot) };
  }
  return out;
}

/**
 * A synthesised Book. It holds its own copy of the tick and lot counts (bid ticks, bid lots, ask
 * ticks, ask lots) and builds each side's level objects on first read: most books are read at
 * most at the touch, and building 40 levels a book was most of the simulated market's cost.
 * Immutable; serialises (`JSON.stringify`) exactly as a plain Book with the same fields.
 */
class SynthBook implements TouchBook {
  readonly symbol: string;
  readonly ts: number;
  readonly seq: number;
  readonly #shape: BookShape;
  readonly #counts: readonly number[];
  #bids: readonly BookLevel[] | undefined;
  #asks: readonly BookLevel[] | undefined;

  constructor(shape: BookShape, ts: number, seq: number, counts: readonly number[]) {
    this.symbol = shape.symbol;
    this.ts = ts;
    this.seq = seq;
    this.#shape = shape;
    this.#counts = counts;
  }

  get bids(): readonly BookLevel[] {
    return (this.#bids ??= sideLevels(this.#counts, 0, this.#shape.levels, this.#shape));
  }

  get asks(): readonly BookLevel[] {
    const n = this.#shape.levels;
    return (this.#asks ??= sideLevels(this.#counts, 2 * n, 3 * n, this.#shape));
  }

  get bestBid(): number | undefined {
    return this.#touch(0, this.#shape.levels);
  }

  get bestAsk(): number | undefined {
    const n = this.#shape.levels;
    return this.#touch(2 * n, 3 * n);
  }

  /** Price of the first non-empty level of a side, as its level object would carry it. */
  #touch(ticksAt: number, lotsAt: number): number | undefined {
    for (let i = 0; i < this.#shape.levels; i++) {
      if ((this.#counts[lotsAt + i] ?? 0) >= 1) return fromSteps(this.#counts[ticksAt + i] ?? 0, this.#shape.tick);
    }
    return undefined;
  }

  toJSON(): Book {
    return { symbol: this.symbol, ts: this.ts, seq: this.seq, bids: this.bids, asks: this.asks };
  }
}

/** Pure: the immutable Book for the levels in `scratch` (empty levels omitted), levels built when first read. */
export function buildBook(shape: BookShape, ts: number, seq: number, scratch: LevelScratch): TouchBook {
  const n = shape.levels;
  // A plain array of doubles: one allocation on the JS heap (a typed array this size would get
  // its own off-heap buffer, slower to allocate and to collect).
  const counts = new Array<number>(4 * n);
  for (let i = 0; i < n; i++) {
    counts[i] = scratch.bidTicks[i] ?? 0;
    counts[n + i] = scratch.bidLots[i] ?? 0;
    counts[2 * n + i] = scratch.askTicks[i] ?? 0;
    counts[3 * n + i] = scratch.askLots[i] ?? 0;
  }
  return new SynthBook(shape, ts, seq, counts);
}

/** Pure given the rng: a complete book around `mid` (convenience over the two steps above). */
export function synthesizeBook(shape: BookShape, mid: number, ts: number, seq: number, rng: SeededRng): Book {
  const scratch = createLevelScratch(shape.levels);
  synthesizeLevels(shape, mid, rng, scratch);
  return buildBook(shape, ts, seq, scratch);
}

/** Pure: mid of the touches in `scratch` (before any depletion), printed at one decimal finer than the tick. */
export function scratchMid(s: LevelScratch, shape: BookShape): number {
  // (bid + ask) / 2 on the half-tick grid: the same double as printing it to one decimal finer
  // than the tick, without a toFixed round trip.
  return fromSteps((s.bidTicks[0] ?? 0) + (s.askTicks[0] ?? 0), shape.halfTick);
}
