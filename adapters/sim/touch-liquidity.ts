import type { Side } from '../../src/core/types.js';
import type { LevelScratch } from './book-synth.js';

/**
 * The live (consumable) copy of one symbol's latest book.
 *
 * Trades between two book updates take size from it, level by level. When the next book is
 * synthesised, {@link TouchLiquidity.carryInto} lets the depletion show: a price level that was
 * (partly) eaten and is still in the new book gets back only `refill` of the missing size, so
 * a sweep leaves a visibly thinner touch, which refills geometrically over the next books.
 * Everything is integer tick and lot counts in preallocated arrays.
 */
export class TouchLiquidity {
  private readonly n: number;
  private readonly bidTicks: Float64Array;
  private readonly bidSize: Float64Array;
  private readonly bidLeft: Float64Array;
  private readonly askTicks: Float64Array;
  private readonly askSize: Float64Array;
  private readonly askLeft: Float64Array;
  private bidIdx = 0;
  private askIdx = 0;
  /** Price (ticks) of the worst level the last {@link take} reached. */
  lastTicks = 0;

  constructor(levels: number) {
    this.n = levels;
    this.bidTicks = new Float64Array(levels);
    this.bidSize = new Float64Array(levels);
    this.bidLeft = new Float64Array(levels);
    this.askTicks = new Float64Array(levels);
    this.askSize = new Float64Array(levels);
    this.askLeft = new Float64Array(levels);
  }

  /** Make the levels of a just-emitted book the live book. */
  reset(s: LevelScratch): void {
    this.bidTicks.set(s.bidTicks);
    this.bidSize.set(s.bidLots);
    this.bidLeft.set(s.bidLots);
    this.askTicks.set(s.askTicks);
    this.askSize.set(s.askLots);
    this.askLeft.set(s.askLots);
    this.bidIdx = 0;
    this.askIdx = 0;
  }

  /** Tick price of the best level an aggressor on `side` would hit, or null if that side is empty. */
  touchTicks(aggressor: Side): number | null {
    const buy = aggressor === 'buy';
    const ticks = buy ? this.askTicks : this.bidTicks;
    const left = buy ? this.askLeft : this.bidLeft;
    for (let i = buy ? this.askIdx : this.bidIdx; i < this.n; i++) {
      if ((left[i] ?? 0) >= 1) return ticks[i] ?? null;
    }
    return null;
  }

  /**
   * Take up to `wantLots` from the side an aggressor hits (asks for a buy), touch first.
   * Returns the lots filled (0 when the side is exhausted) and sets {@link lastTicks}.
   */
  take(aggressor: Side, wantLots: number): number {
    const buy = aggressor === 'buy';
    const ticks = buy ? this.askTicks : this.bidTicks;
    const left = buy ? this.askLeft : this.bidLeft;
    let i = buy ? this.askIdx : this.bidIdx;
    let need = wantLots;
    let filled = 0;
    while (need > 0 && i < this.n) {
      const avail = left[i] ?? 0;
      if (avail < 1) {
        i++;
        continue;
      }
      const f = avail < need ? avail : need;
      left[i] = avail - f;
      need -= f;
      filled += f;
      this.lastTicks = ticks[i] ?? 0;
      if (avail - f < 1) i++;
    }
    if (buy) this.askIdx = i;
    else this.bidIdx = i;
    return filled;
  }

  /** Apply the depletion of the live book to a freshly synthesised one (same price → thinner). */
  carryInto(s: LevelScratch, refill: number): void {
    carrySide(s.bidTicks, s.bidLots, this.bidTicks, this.bidSize, this.bidLeft, refill, -1);
    carrySide(s.askTicks, s.askLots, this.askTicks, this.askSize, this.askLeft, refill, 1);
  }
}

/** `dir` is +1 when prices ascend along the side (asks), −1 when they descend (bids). */
function carrySide(
  ticks: Float64Array,
  lots: Float64Array,
  prevTicks: Float64Array,
  prevSize: Float64Array,
  prevLeft: Float64Array,
  refill: number,
  dir: 1 | -1,
): void {
  const n = ticks.length;
  let j = 0;
  let lastNonEmpty = -1;
  let lastNonEmptyLots = 0;
  let any = false;
  for (let i = 0; i < n; i++) {
    const t = ticks[i] ?? 0;
    const synth = lots[i] ?? 0;
    if (synth >= 1) {
      lastNonEmpty = i;
      lastNonEmptyLots = synth;
    }
    while (j < n && ((prevTicks[j] ?? 0) - t) * dir < 0) j++;
    if (j < n && prevTicks[j] === t) {
      const left = prevLeft[j] ?? 0;
      if (left < (prevSize[j] ?? 0) && synth > left) lots[i] = left + Math.floor(refill * (synth - left));
    }
    if ((lots[i] ?? 0) >= 1) any = true;
  }
  // Never emit an empty side: the deepest level comes back in full.
  if (!any && lastNonEmpty >= 0) lots[lastNonEmpty] = lastNonEmptyLots;
}
