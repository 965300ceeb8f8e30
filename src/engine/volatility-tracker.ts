import type { Candle } from '../core/types.js';
import { rollingVolatilityFactor } from '../sizing/volatility-adjustment.js';

export interface VolatilityTrackerOptions {
  readonly windowBars: number;
  readonly minHistoryWindows: number;
}

/**
 * 1-minute closes per symbol and the volatility factor (realised vol over its long-run median,
 * ruling 4) for a set of symbols: the largest of theirs, so a pair is sized for its wilder leg.
 * Recomputed once per bar, not per event.
 */
export class VolatilityTracker {
  private readonly closes = new Map<string, number[]>();
  private readonly keep: number;
  private cached: number | null = null;
  private dirty = true;
  private barsSinceCompute = Number.POSITIVE_INFINITY;

  constructor(
    private readonly symbols: readonly string[],
    private readonly opts: VolatilityTrackerOptions,
  ) {
    this.keep = opts.windowBars * (opts.minHistoryWindows * 2 + 1) + 1;
    for (const s of symbols) this.closes.set(s, []);
  }

  seed(symbol: string, candles: readonly Candle[]): void {
    for (const c of candles) this.onBar(symbol, c.close);
  }

  onBar(symbol: string, close: number): void {
    const buf = this.closes.get(symbol);
    if (!buf || !(close > 0)) return;
    buf.push(close);
    if (buf.length > this.keep * 2) buf.splice(0, buf.length - this.keep);
    this.dirty = true;
    this.barsSinceCompute++;
  }

  /**
   * The factor (1.0 = normal), or null while there is not enough history. Recomputed at most every
   * quarter window: realised vol over a 60-bar window barely moves bar to bar.
   */
  factor(): number | null {
    if (!this.dirty || (this.cached !== null && this.barsSinceCompute < Math.max(1, this.opts.windowBars / 4) * this.symbols.length)) return this.cached;
    this.barsSinceCompute = 0;
    let worst: number | null = null;
    for (const s of this.symbols) {
      const buf = this.closes.get(s)!;
      const r = rollingVolatilityFactor(buf.length > this.keep ? buf.slice(-this.keep) : buf, {
        window: this.opts.windowBars,
        minHistoryWindows: this.opts.minHistoryWindows,
      });
      if (r && (worst === null || r.factor > worst)) worst = r.factor;
    }
    this.cached = worst;
    this.dirty = false;
    return worst;
  }
}
