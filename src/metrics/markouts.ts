import { sideSign, type MarkoutRecord } from './execution-records.js';

/** Index of a markout horizon in {@link MarkoutRecord.mids}: 0 = 1 s, 1 = 10 s, 2 = 60 s. */
export type HorizonIndex = 0 | 1 | 2;

function weightedMean(values: readonly { v: number; w: number }[]): number | null {
  let sw = 0;
  let s = 0;
  for (const { v, w } of values) {
    sw += w;
    s += v * w;
  }
  return sw > 0 ? s / sw : null;
}

/**
 * Adverse selection at a horizon, bps, notional-weighted: how far the mid moved against each
 * fill's side from the fill to `h` later, −side × (mid_h − mid_fill) / mid_fill × 1e4. Positive
 * is a cost (bought, then the market fell). Fills missing either mid are left out; null without any.
 * Pure.
 */
export function adverseSelectionBps(markouts: readonly MarkoutRecord[], h: HorizonIndex): number | null {
  const out: { v: number; w: number }[] = [];
  for (const m of markouts) {
    const later = m.mids[h];
    if (m.midAtFill === null || later === null || !(m.midAtFill > 0)) continue;
    out.push({ v: (-sideSign(m.side) * (later - m.midAtFill) * 1e4) / m.midAtFill, w: m.price * m.size });
  }
  return weightedMean(out);
}

/**
 * Spread captured at the fill, bps, notional-weighted: side × (mid_fill − price) / mid_fill × 1e4
 * (a buy below the mid captures). Null without a mid. Pure.
 */
export function spreadCaptureAtFillBps(markouts: readonly MarkoutRecord[]): number | null {
  const out: { v: number; w: number }[] = [];
  for (const m of markouts) {
    if (m.midAtFill === null || !(m.midAtFill > 0)) continue;
    out.push({ v: (sideSign(m.side) * (m.midAtFill - m.price) * 1e4) / m.midAtFill, w: m.price * m.size });
  }
  return weightedMean(out);
}

/**
 * Realised spread capture at a horizon, bps, notional-weighted: side × (mid_h − price) / price × 1e4,
 * what the fill earned against the mid `h` later (the spread captured minus adverse selection).
 * Pure.
 */
export function realisedSpreadCaptureBps(markouts: readonly MarkoutRecord[], h: HorizonIndex): number | null {
  const out: { v: number; w: number }[] = [];
  for (const m of markouts) {
    const later = m.mids[h];
    if (later === null) continue;
    out.push({ v: (sideSign(m.side) * (later - m.price) * 1e4) / m.price, w: m.price * m.size });
  }
  return weightedMean(out);
}
