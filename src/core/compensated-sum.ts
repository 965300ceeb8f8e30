/**
 * A running sum with SQLite's own rounding: `SUM()` over REAL values (SQLite 3.43 and later) is
 * Kahan-Babuska-Neumaier summation, and this replays it step for step. Fed the same values in the
 * same order, {@link CompensatedSum.value} is the double `SELECT SUM(x)` returns, so a total kept
 * as rows are written reads the same as a query over every row, without the query.
 */
export class CompensatedSum {
  private sum = 0;
  private err = 0;
  private n = 0;

  /** Adds one value (SQLite's SUM skips NULL, and so does this). */
  add(x: number | null): void {
    if (x === null) return;
    const s = this.sum;
    const t = s + x;
    if (Math.abs(s) > Math.abs(x)) this.err += s - t + x;
    else this.err += x - t + s;
    this.sum = t;
    this.n++;
  }

  /** How many values were added. */
  get count(): number {
    return this.n;
  }

  /** The sum as `COALESCE(SUM(x), 0)` reads it: 0 before any value. */
  value(): number {
    if (this.n === 0) return 0;
    return Number.isFinite(this.err) ? this.sum + this.err : this.sum;
  }

  /** The running state (sum, error term, values added): what {@link CompensatedSum.fromParts} takes back. */
  parts(): { readonly sum: number; readonly err: number; readonly n: number } {
    return { sum: this.sum, err: this.err, n: this.n };
  }

  /** A sum resumed from {@link parts} (kept elsewhere, e.g. in a table; SQLite's NULL is NaN). */
  static fromParts(sum: number | null, err: number | null, n: number): CompensatedSum {
    const c = new CompensatedSum();
    c.sum = sum ?? Number.NaN;
    c.err = err ?? Number.NaN;
    c.n = n;
    return c;
  }

  /** An independent copy (to add a value that may still change without touching this one). */
  clone(): CompensatedSum {
    const c = new CompensatedSum();
    c.sum = this.sum;
    c.err = this.err;
    c.n = this.n;
    return c;
  }
}
