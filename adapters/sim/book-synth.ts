import type { SeededRng } from '../../src/core/rng.js';
import type { Book, BookLevel } from '../../src/core/types.js';
import { roundDown, roundUp } from '../../src/core/tick-rounding.js';
import { fromSteps, gridScale, toSteps, type GridScale } from './grid-scale.js';
import type { SimSymbolConfig } from './sim-config.js';

/**
 * Synthetic L2 books around a mid price.
 *
 * Shape: the touches sit `halfSpreadTicks` from the mid (bid rounded down, ask rounded up, so
 * they are always at least one tick apart); further levels step away by `levelSpacingTicks`.
 * Level i holds `touchDepthUsd · (1 + depthGrowthPerLevel)^i · (1 ± depthJitter)` USD, converted
 * to base at the level's price and rounded down to the lot grid (at least one lot).
 *
 * Work happens on integer tick and lot counts in a reusable {@link LevelScratch}; Book objects
 * are built only at the end, once per emitted book.
 */

/** Per-symbol constants for the synthesiser, computed once. */
export interface BookShape {
  readonly symbol: string;
  readonly levels: number;
  readonly tick: GridScale;
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
  let bestBid = toSteps(roundDown(mid - shape.halfSpreadTicks * tick, tick), shape.tick);
  let bestAsk = toSteps(roundUp(mid + shape.halfSpreadTicks * tick, tick), shape.tick);
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

function sideLevels(ticks: Float64Array, lots: Float64Array, shape: BookShape): BookLevel[] {
  const out: BookLevel[] = [];
  for (let i = 0; i < shape.levels; i++) {
    const l = lots[i] ?? 0;
    if (l >= 1) out.push({ price: fromSteps(ticks[i] ?? 0, shape.tick), size: fromSteps(l, shape.lot) });
  }
  return out;
}

/** Pure: the immutable Book for the levels in `scratch` (empty levels omitted). */
export function buildBook(shape: BookShape, ts: number, seq: number, scratch: LevelScratch): Book {
  return {
    symbol: shape.symbol,
    ts,
    seq,
    bids: sideLevels(scratch.bidTicks, scratch.bidLots, shape),
    asks: sideLevels(scratch.askTicks, scratch.askLots, shape),
  };
}

/** Pure given the rng: a complete book around `mid` (convenience over the two steps above). */
export function synthesizeBook(shape: BookShape, mid: number, ts: number, seq: number, rng: SeededRng): Book {
  const scratch = createLevelScratch(shape.levels);
  synthesizeLevels(shape, mid, rng, scratch);
  return buildBook(shape, ts, seq, scratch);
}

/** Pure: mid of the touches in `scratch` (before any depletion), printed at one decimal finer than the tick. */
export function scratchMid(s: LevelScratch, shape: BookShape): number {
  const sumTicks = (s.bidTicks[0] ?? 0) + (s.askTicks[0] ?? 0);
  return Number(((sumTicks * shape.tick.step) / 2).toFixed(shape.tick.decimals + 1));
}
