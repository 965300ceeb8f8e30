import type { Candle } from '../../src/core/types.js';

/** Numbers a row: timestamp, open, high, low, close, volume. */
export const CANDLE_ROW = 6;

/**
 * A series of candles held as doubles in one `Float64Array`, six a row in ccxt's order
 * (`ts, open, high, low, close, volume`), oldest first. A file's candles go from the text to the
 * replayed events without a `Candle` object each (an object of six doubles is seven heap
 * allocations in V8); {@link candle} and {@link toCandles} build objects only where they are
 * needed (a replayed minute, a warm-up history).
 */
export class CandleTable {
  readonly length: number;

  /** @param data six numbers a row; its length must be a multiple of six. */
  constructor(readonly data: Float64Array) {
    if (data.length % CANDLE_ROW !== 0) throw new RangeError(`candle table needs ${CANDLE_ROW} numbers a row, got ${data.length}`);
    this.length = data.length / CANDLE_ROW;
  }

  /** The same candles, as a table (the six fields of each, in order). */
  static of(candles: readonly Candle[]): CandleTable {
    const data = new Float64Array(candles.length * CANDLE_ROW);
    for (let i = 0, j = 0; i < candles.length; i++, j += CANDLE_ROW) {
      const c = candles[i]!;
      data[j] = c.ts;
      data[j + 1] = c.open;
      data[j + 2] = c.high;
      data[j + 3] = c.low;
      data[j + 4] = c.close;
      data[j + 5] = c.volume;
    }
    return new CandleTable(data);
  }

  ts(i: number): number {
    return this.data[i * CANDLE_ROW]!;
  }

  open(i: number): number {
    return this.data[i * CANDLE_ROW + 1]!;
  }

  close(i: number): number {
    return this.data[i * CANDLE_ROW + 4]!;
  }

  volume(i: number): number {
    return this.data[i * CANDLE_ROW + 5]!;
  }

  /** Candle `i` as an object (undefined past the end). */
  candle(i: number): Candle | undefined {
    if (!(i >= 0 && i < this.length)) return undefined;
    const d = this.data;
    const j = i * CANDLE_ROW;
    return { ts: d[j]!, open: d[j + 1]!, high: d[j + 2]!, low: d[j + 3]!, close: d[j + 4]!, volume: d[j + 5]! };
  }

  /** Candles `from` (inclusive) to `to` (exclusive) as objects, like `Array.prototype.slice`'s bounds in range. */
  toCandles(from = 0, to = this.length): Candle[] {
    const lo = Math.max(0, Math.min(from, this.length));
    const hi = Math.max(lo, Math.min(to, this.length));
    const out = new Array<Candle>(hi - lo);
    for (let i = lo; i < hi; i++) out[i - lo] = this.candle(i)!;
    return out;
  }
}
