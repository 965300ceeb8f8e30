import type { Clock } from '../../../src/core/clock.js';
import { VenueRejectError, VenueUnknownOutcomeError } from '../../../src/core/errors.js';
import type { AccountState, Fill, Instrument, OrderRequest, Position } from '../../../src/core/types.js';
import type {
  FillListener,
  OrderUpdateListener,
  Venue,
  VenueCapabilities,
  VenueOrder,
  VenueOrderStatus,
} from '../../../src/core/venue.js';

/** What the next `placeOrder` does. Delays run on the injected clock. */
export type PlaceOutcome =
  | { readonly kind: 'ack'; readonly delayMs?: number; readonly status?: VenueOrderStatus }
  | { readonly kind: 'reject'; readonly reason: string; readonly delayMs?: number }
  /** The request fails with an unknown outcome; `reached` is what the venue recorded, if anything. */
  | { readonly kind: 'unknown'; readonly delayMs?: number; readonly reached: VenueOrderStatus | null }
  /** Never settles (a process that died before the ack). */
  | { readonly kind: 'hold' };

export type VenueMethod = 'placeOrder' | 'cancelOrder' | 'lookupOrder' | 'fillsSince' | 'positions';

export interface VenueCall {
  readonly method: VenueMethod;
  readonly clientOrderId: string | null;
  readonly at: number;
}

export interface FakeVenueOptions {
  readonly clock: Clock;
  readonly name?: string;
  /** Default delay of acks, rejects and cancel acks. */
  readonly latencyMs?: number;
}

/**
 * A hand-written venue with scripted behaviour: place outcomes are queued, the venue's own record
 * of each order is kept for `lookupOrder`, fills and updates are emitted on demand, and every call
 * is recorded with the clock time it was made at.
 */
export class FakeVenue implements Venue {
  readonly name: string;
  readonly capabilities: VenueCapabilities = { postOnly: true, ioc: true, reduceOnly: true, maxClientOrderIdLength: 32 };
  readonly calls: VenueCall[] = [];
  /** The venue's view of each order it has seen, by client order id. */
  readonly records = new Map<string, VenueOrder>();
  readonly venueFills: Fill[] = [];
  venuePositions: Position[] = [];
  /** When true, the next cancels fail with an unknown outcome and leave the order resting. */
  failCancels = false;
  /** Runs at the top of `placeOrder`, before anything else (to observe the caller's state). */
  beforePlace: ((req: OrderRequest) => void) | null = null;

  private readonly clock: Clock;
  private readonly latencyMs: number;
  private readonly outcomes: PlaceOutcome[] = [];
  private readonly fillListeners: FillListener[] = [];
  private readonly updateListeners: OrderUpdateListener[] = [];
  private nextVenueId = 1;

  constructor(opts: FakeVenueOptions) {
    this.clock = opts.clock;
    this.name = opts.name ?? 'fake';
    this.latencyMs = opts.latencyMs ?? 50;
  }

  /** Queues outcomes for the next `placeOrder` calls; once empty, orders are acked as `open`. */
  script(...outcomes: PlaceOutcome[]): void {
    this.outcomes.push(...outcomes);
  }

  callsOf(method: VenueMethod): VenueCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Sets the venue's record of an order (e.g. one placed by a previous process). */
  setRecord(clientOrderId: string, symbol: string, status: VenueOrderStatus, filledSize = 0): VenueOrder {
    const prev = this.records.get(clientOrderId);
    const vo: VenueOrder = {
      clientOrderId,
      venueOrderId: prev?.venueOrderId ?? `V${this.nextVenueId++}`,
      symbol,
      status,
      filledSize,
      ts: this.clock.now(),
    };
    this.records.set(clientOrderId, vo);
    return vo;
  }

  /** Delivers a fill to listeners and remembers it for `fillsSince`. */
  emitFill(fill: Fill): void {
    this.venueFills.push(fill);
    for (const l of this.fillListeners) l(fill);
  }

  emitUpdate(update: VenueOrder): void {
    for (const l of this.updateListeners) l(update);
  }

  instruments(): Promise<readonly Instrument[]> {
    return Promise.resolve([]);
  }

  placeOrder(req: OrderRequest): Promise<VenueOrder> {
    this.beforePlace?.(req);
    this.record('placeOrder', req.clientOrderId);
    const o = this.outcomes.shift() ?? { kind: 'ack' };
    if (o.kind === 'hold') return new Promise<VenueOrder>(() => undefined);
    return new Promise((resolve, reject) => {
      this.clock.setTimer(o.delayMs ?? this.latencyMs, () => {
        switch (o.kind) {
          case 'ack':
            resolve(this.setRecord(req.clientOrderId, req.symbol, o.status ?? 'open'));
            return;
          case 'reject':
            this.setRecord(req.clientOrderId, req.symbol, 'rejected');
            reject(new VenueRejectError(`rejected: ${o.reason}`, { reason: o.reason }));
            return;
          case 'unknown':
            if (o.reached !== null) this.setRecord(req.clientOrderId, req.symbol, o.reached);
            reject(new VenueUnknownOutcomeError('timeout'));
            return;
        }
      });
    });
  }

  /** Acks after the latency: the order becomes `canceled` and an update is pushed, like a real venue. */
  cancelOrder(clientOrderId: string, _symbol: string): Promise<void> {
    this.record('cancelOrder', clientOrderId);
    return new Promise((resolve, reject) => {
      this.clock.setTimer(this.latencyMs, () => {
        if (this.failCancels) {
          reject(new VenueUnknownOutcomeError('cancel timed out'));
          return;
        }
        const rec = this.records.get(clientOrderId);
        if (rec && (rec.status === 'open' || rec.status === 'partially_filled')) {
          const canceled: VenueOrder = { ...rec, status: 'canceled', ts: this.clock.now() };
          this.records.set(clientOrderId, canceled);
          this.emitUpdate(canceled);
        }
        resolve();
      });
    });
  }

  openOrders(): Promise<readonly VenueOrder[]> {
    return Promise.resolve([...this.records.values()].filter((r) => r.status === 'open' || r.status === 'partially_filled'));
  }

  lookupOrder(clientOrderId: string, _symbol: string): Promise<VenueOrder | null> {
    this.record('lookupOrder', clientOrderId);
    return Promise.resolve(this.records.get(clientOrderId) ?? null);
  }

  fillsSince(ts: number): Promise<readonly Fill[]> {
    this.record('fillsSince', null);
    return Promise.resolve(this.venueFills.filter((f) => f.ts >= ts));
  }

  positions(): Promise<readonly Position[]> {
    this.record('positions', null);
    return Promise.resolve(this.venuePositions);
  }

  account(): Promise<AccountState> {
    return Promise.resolve({ equity: 10_000, collateral: 10_000, freeCollateral: 10_000, initialMargin: 0, maintenanceMargin: 0 });
  }

  onFill(listener: FillListener): void {
    this.fillListeners.push(listener);
  }

  onOrderUpdate(listener: OrderUpdateListener): void {
    this.updateListeners.push(listener);
  }

  private record(method: VenueMethod, clientOrderId: string | null): void {
    this.calls.push({ method, clientOrderId, at: this.clock.now() });
  }
}
