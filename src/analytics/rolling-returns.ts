/**
 * A return at most this large in size (a log return of ±1,000: prices e^1000 apart) is "tame": a
 * window of tame returns is finite and far from overflow, whatever is summed or weighted from it.
 */
export const TAME_RETURN = 1_000;

/**
 * The last values of a {@link RollingReturns} window as they were when taken, readable later:
 * a pushed return is never changed, and compaction copies the window into a new array, leaving the
 * one this reads as it was.
 */
export class ReturnsWindow {
  constructor(
    /** @internal the window's array when taken; values before `end` never change. */
    readonly buf: readonly number[],
    /** @internal one past the window's newest return in `buf`. */
    readonly end: number,
    /** Returns in the window when taken. */
    readonly length: number,
  ) {}

  /** The last `n` returns as they were when taken, as a new array (n ≤ length). */
  tail(n: number): number[] {
    return this.buf.slice(this.end - n, this.end);
  }
}

/**
 * The last `capacity` 1-minute log returns of one series, kept as closes arrive: each close costs
 * one logarithm, not a pass over the window. `at(i)` for i in [0, length) reads oldest first.
 * Values equal `Math.log(c[i] / c[i - 1])` over the same closes, bit for bit.
 */
export class RollingReturns {
  private buf: number[] = [];
  private start = 0;
  private last: number | null = null;
  /** Returns in the window that are not tame (see {@link TAME_RETURN}; NaN and ±∞ included). */
  private wild = 0;

  constructor(readonly capacity: number) {}

  /** Appends a close; the first close only sets the base. */
  push(close: number): void {
    if (this.last !== null) {
      const r = Math.log(close / this.last);
      this.buf.push(r);
      if (!(Math.abs(r) <= TAME_RETURN)) this.wild++;
      // Compact once the dead prefix is as long as the window: amortised O(1) per close.
      if (this.buf.length - this.start > this.capacity) {
        if (!(Math.abs(this.buf[this.start]!) <= TAME_RETURN)) this.wild--;
        this.start++;
      }
      if (this.start >= this.capacity) {
        this.buf = this.buf.slice(this.start);
        this.start = 0;
      }
    }
    this.last = close;
  }

  get length(): number {
    return this.buf.length - this.start;
  }

  /** True when every return in the window is finite and at most {@link TAME_RETURN} in size. */
  tame(): boolean {
    return this.wild === 0;
  }

  /** The window now, readable as it is now after later closes arrive. */
  window(): ReturnsWindow {
    return new ReturnsWindow(this.buf, this.buf.length, this.length);
  }

  /** The i-th return of the window, oldest first. */
  at(i: number): number {
    return this.buf[this.start + i]!;
  }

  /**
   * `out[t] = out[t] + weight × r` for the last `out.length` returns r, oldest first (length ≤
   * this.length): one position's share of a portfolio's return series, without a copy.
   */
  addWeightedTail(out: number[], weight: number): void {
    const off = this.buf.length - out.length;
    for (let t = 0; t < out.length; t++) out[t] = out[t]! + weight * this.buf[off + t]!;
  }

  /**
   * A portfolio's return series in one pass: `out[t] = (0 + w₀·r₀ + w₁·r₁ + …) / divisor` over the
   * last `out.length` returns r of each window (oldest first, each window at least that long), the
   * weights added in the order given. The same doubles as zeroing `out`, calling
   * {@link addWeightedTail} for each window in order and then dividing each element.
   */
  static weightedSeries(out: number[], windows: readonly ReturnsWindow[], weights: ArrayLike<number>, divisor: number): void {
    const n = out.length;
    const k = windows.length;
    if (k === 2) {
      // The held pair: two legs, unrolled.
      const b0 = windows[0]!.buf;
      const b1 = windows[1]!.buf;
      const o0 = windows[0]!.end - n;
      const o1 = windows[1]!.end - n;
      const w0 = weights[0]!;
      const w1 = weights[1]!;
      for (let t = 0; t < n; t++) out[t] = (0 + w0 * b0[o0 + t]! + w1 * b1[o1 + t]!) / divisor;
      return;
    }
    for (let t = 0; t < n; t++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const w = windows[p]!;
        s = s + weights[p]! * w.buf[w.end - n + t]!;
      }
      out[t] = s / divisor;
    }
  }

  /** The last `n` returns as a new array (n ≤ length). */
  tail(n: number): number[] {
    return this.buf.slice(this.buf.length - n);
  }

  /** Σ r² over the window, summed oldest first. */
  sumSquares(): number {
    let s = 0;
    for (let i = this.start; i < this.buf.length; i++) {
      const r = this.buf[i]!;
      s += r * r;
    }
    return s;
  }
}
