/**
 * The last `capacity` 1-minute log returns of one series, kept as closes arrive: each close costs
 * one logarithm, not a pass over the window. `at(i)` for i in [0, length) reads oldest first.
 * Values equal `Math.log(c[i] / c[i - 1])` over the same closes, bit for bit.
 */
export class RollingReturns {
  private buf: number[] = [];
  private start = 0;
  private last: number | null = null;

  constructor(readonly capacity: number) {}

  /** Appends a close; the first close only sets the base. */
  push(close: number): void {
    if (this.last !== null) {
      this.buf.push(Math.log(close / this.last));
      // Compact once the dead prefix is as long as the window: amortised O(1) per close.
      if (this.buf.length - this.start > this.capacity) this.start++;
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
  static weightedSeries(out: number[], windows: readonly RollingReturns[], weights: readonly number[], divisor: number): void {
    const n = out.length;
    const k = windows.length;
    if (k === 2) {
      // The held pair: two legs, unrolled.
      const b0 = windows[0]!.buf;
      const b1 = windows[1]!.buf;
      const o0 = b0.length - n;
      const o1 = b1.length - n;
      const w0 = weights[0]!;
      const w1 = weights[1]!;
      for (let t = 0; t < n; t++) out[t] = (0 + w0 * b0[o0 + t]! + w1 * b1[o1 + t]!) / divisor;
      return;
    }
    for (let t = 0; t < n; t++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const b = windows[p]!.buf;
        s = s + weights[p]! * b[b.length - n + t]!;
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
