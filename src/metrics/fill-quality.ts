import type { FillRecord, OrderRecord } from './execution-records.js';

/** Share of filled notional that was maker (resting) liquidity; null without fills. Pure. */
export function makerShare(fills: readonly FillRecord[]): number | null {
  let maker = 0;
  let total = 0;
  for (const f of fills) {
    const n = f.price * f.size;
    total += n;
    if (f.liquidity === 'maker') maker += n;
  }
  return total > 0 ? maker / total : null;
}

/** Share of fills (by count) that were maker: seed 003's "70% of fills as post-only". Pure. */
export function makerFillCountShare(fills: readonly FillRecord[]): number | null {
  return fills.length > 0 ? fills.filter((f) => f.liquidity === 'maker').length / fills.length : null;
}

const postOnly = (orders: readonly OrderRecord[]): OrderRecord[] => orders.filter((o) => o.tif === 'POST_ONLY');

/** Post-only orders rejected (they would have crossed) over post-only orders sent; null without any. Pure. */
export function postOnlyRejectionRate(orders: readonly OrderRecord[]): number | null {
  const po = postOnly(orders);
  return po.length > 0 ? po.filter((o) => o.status === 'rejected').length / po.length : null;
}

/**
 * Fill rate of resting orders: size filled over size posted, over post-only orders that were
 * accepted (not rejected) and are done working; null without any. Pure.
 */
export function restingFillRate(orders: readonly OrderRecord[]): number | null {
  let posted = 0;
  let filled = 0;
  for (const o of postOnly(orders)) {
    if (o.status === 'rejected' || !isDone(o.status)) continue;
    posted += o.size;
    filled += o.filledSize;
  }
  return posted > 0 ? filled / posted : null;
}

/** Mean time from sending a post-only order to its first fill, ms, over those that filled; null without any. Pure. */
export function averageQueueWaitMs(orders: readonly OrderRecord[]): number | null {
  const waits = postOnly(orders)
    .filter((o) => o.firstFillTs !== null)
    .map((o) => Math.max(0, o.firstFillTs! - o.createdTs));
  return waits.length > 0 ? waits.reduce((a, b) => a + b, 0) / waits.length : null;
}

function isDone(status: string): boolean {
  return status === 'filled' || status === 'canceled' || status === 'expired';
}
