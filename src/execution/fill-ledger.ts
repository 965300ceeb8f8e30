import { applyFillToPosition, emptyPosition } from '../core/position-math.js';
import type { Fill, Order, Position } from '../core/types.js';
import type { Store } from '../store/store.js';
import { utcDay } from '../core/utc-day.js';
import { transition } from './order-state-machine.js';

const SIZE_EPS = 1e-9;

export interface FillApplied {
  readonly fill: Fill;
  readonly order: Order;
  readonly position: Position;
  readonly realizedPnl: number;
}

/**
 * Books one new fill atomically: the fill row, the order's filled size / average price / fees /
 * status, the bot's position, the day's volume counters, and whatever `alsoWrite` writes (the
 * paper account's collateral), so a crash keeps all of them or none. Returns null for a duplicate
 * trade id.
 */
export function bookFill(store: Store, venue: string, order: Order, fill: Fill, lotSize?: number, alsoWrite?: (applied: FillApplied) => void): FillApplied | null {
  return store.transaction(() => {
    if (!store.fills.insert(venue, fill)) return null;
    const filled = order.filledSize + fill.size;
    const avg = ((order.avgFillPrice ?? 0) * order.filledSize + fill.price * fill.size) / filled;
    const complete = filled >= order.size - SIZE_EPS;
    let status = order.status;
    if (complete) status = transition(order.status, 'filled', order.clientOrderId);
    else if (status === 'pending_submit' || status === 'open' || status === 'unknown' || status === 'rejected') {
      status = transition(order.status, 'partially_filled', order.clientOrderId);
    }
    // Object.assign, not a spread (see OrderManager.submit): the same keys in the same order (every
    // key set here is one the order has), cheaper for V8 to build.
    const updated: Order = Object.assign({}, order, {
      status,
      filledSize: filled,
      avgFillPrice: avg,
      feesPaid: order.feesPaid + fill.fee,
      venueOrderId: order.venueOrderId ?? fill.venueOrderId,
      updatedTs: fill.ts,
    });
    store.orders.update(updated);
    const before = store.positions.get(order.botId, venue, fill.symbol) ?? emptyPosition(fill.symbol);
    const change = applyFillToPosition(before, fill.side, fill.size, fill.price, lotSize);
    store.positions.upsert(order.botId, venue, change.position, fill.ts);
    store.dailyVolume.addFill(order.botId, utcDay(fill.ts), fill.price * fill.size, fill.fee, change.realizedPnl);
    const applied: FillApplied = { fill, order: updated, position: change.position, realizedPnl: change.realizedPnl };
    alsoWrite?.(applied);
    return applied;
  });
}
