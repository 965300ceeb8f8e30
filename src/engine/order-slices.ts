import { roundDown } from '../core/tick-rounding.js';

export interface SliceInput {
  /** Total size to send, base units (on the lot grid or above it). */
  readonly size: number;
  /** Price used to value the slices. */
  readonly price: number;
  readonly lotSize: number;
  readonly minSize: number;
  readonly minNotional: number;
  /** Largest notional of one slice, quote units. */
  readonly maxSliceNotional: number;
  readonly maxSlices: number;
}

/**
 * Splits one order into several smaller ones (seed 003: several small orders rather than one
 * large): ceil(notional / maxSliceNotional) slices, at most `maxSlices`, equal on the lot grid with
 * the remainder on the last, each at least the venue minimums (fewer slices when they would not
 * be). Sizes sum to the lot-rounded total; empty when even one slice is below the minimums. Pure.
 */
export function sliceSizes(i: SliceInput): number[] {
  const total = roundDown(i.size, i.lotSize);
  const ok = (s: number): boolean => s >= i.minSize && s * i.price >= i.minNotional && s > 0;
  if (!ok(total)) return [];
  let n = Math.min(i.maxSlices, Math.max(1, Math.ceil((total * i.price) / i.maxSliceNotional - 1e-9)));
  for (; n > 1; n--) {
    const per = roundDown(total / n, i.lotSize);
    const last = roundDown(total - per * (n - 1), i.lotSize);
    if (ok(per) && ok(last)) return [...Array.from({ length: n - 1 }, () => per), last];
  }
  return [total];
}
