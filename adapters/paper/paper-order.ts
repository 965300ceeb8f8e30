/**
 * The engine's record of one order. Mutable on purpose and private to the paper engine; the
 * outside world only ever sees {@link toVenueOrder} snapshots.
 */
import type { VenueOrder, VenueOrderStatus } from '../../src/core/venue.js';
import type { OrderRequest } from '../../src/core/types.js';

/** Mutable engine record of one order (request, ids, status, fill progress). */
export interface PaperOrder {
  readonly req: OrderRequest;
  readonly venueOrderId: string;
  status: VenueOrderStatus;
  filledSize: number;
  /** Size still working (0 once terminal through a fill). */
  remaining: number;
  rejectReason: string | null;
  /** Clock time of the last status change. */
  ts: number;
}

/** Immutable snapshot of an order as the venue reports it. */
export function toVenueOrder(o: PaperOrder): VenueOrder {
  const base = {
    clientOrderId: o.req.clientOrderId,
    venueOrderId: o.venueOrderId,
    symbol: o.req.symbol,
    status: o.status,
    filledSize: o.filledSize,
    ts: o.ts,
  };
  return o.rejectReason === null ? base : { ...base, rejectReason: o.rejectReason };
}

/** A fresh, working order record (status `open`, nothing filled). */
export function createPaperOrder(req: OrderRequest, venueOrderId: string, ts: number): PaperOrder {
  return { req: { ...req }, venueOrderId, status: 'open', filledSize: 0, remaining: req.size, rejectReason: null, ts };
}
