/**
 * Tracks, per symbol, the last funding boundary seen in market time so funding is charged
 * exactly once each time time crosses a multiple of the instrument's funding interval.
 */
export class FundingSchedule {
  private readonly lastIndex = new Map<string, number>();

  /**
   * Number of funding boundaries crossed for `symbol` since the previous call, given market time
   * `ts`. The first call for a symbol only records the period (no funding at the start of a run).
   * Time going backwards crosses nothing.
   */
  crossings(symbol: string, intervalMs: number, ts: number): number {
    if (!(intervalMs > 0) || !Number.isFinite(ts)) return 0;
    const idx = fundingPeriodIndex(ts, intervalMs);
    const last = this.lastIndex.get(symbol);
    if (last === undefined || idx < last) {
      if (last === undefined) this.lastIndex.set(symbol, idx);
      return 0;
    }
    this.lastIndex.set(symbol, idx);
    return idx - last;
  }

  /**
   * The earliest market time at which {@link crossings} for `symbol` can return more than 0:
   * the start of the period after the last one seen (-∞ before the first call, +∞ when
   * `intervalMs` is not positive).
   */
  nextBoundary(symbol: string, intervalMs: number): number {
    if (!(intervalMs > 0)) return Number.POSITIVE_INFINITY;
    const last = this.lastIndex.get(symbol);
    return last === undefined ? Number.NEGATIVE_INFINITY : (last + 1) * intervalMs;
  }
}

/** Index of the funding period containing `ts` (boundaries at multiples of `intervalMs`). */
export function fundingPeriodIndex(ts: number, intervalMs: number): number {
  return Math.floor(ts / intervalMs);
}
