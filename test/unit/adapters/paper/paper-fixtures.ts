/** Hand-built instruments, market events and a driven PaperVenue for the paper engine tests. */
import { SimClock } from '../../../../src/core/clock.js';
import type {
  Fill,
  Instrument,
  MarketEvent,
  OrderRequest,
  Position,
  Side,
} from '../../../../src/core/types.js';
import type { VenueOrder } from '../../../../src/core/venue.js';
import { paperConfigSchema } from '../../../../adapters/paper/paper-config.js';
import { PaperVenue } from '../../../../adapters/paper/paper-venue.js';

export const T0 = 1_700_000_000_000 - (1_700_000_000_000 % 28_800_000); // on a funding boundary
export const LATENCY = 50;
export const FUNDING_MS = 28_800_000;

export const ETH: Instrument = {
  venue: 'paper',
  symbol: 'ETH-PERP',
  baseAsset: 'ETH',
  quoteAsset: 'USD',
  tickSize: 0.1,
  lotSize: 0.01,
  minSize: 0.01,
  minNotional: 1,
  maxLeverage: 10,
  makerFeeRate: 0.0002,
  takerFeeRate: 0.0005,
  initialMarginRatio: 0.1,
  maintenanceMarginRatio: 0.05,
  fundingIntervalMs: FUNDING_MS,
};

export const BTC: Instrument = { ...ETH, symbol: 'BTC-PERP', baseAsset: 'BTC', tickSize: 1, lotSize: 0.001, minSize: 0.001 };

export interface Harness {
  readonly clock: SimClock;
  readonly venue: PaperVenue;
  readonly fills: Fill[];
  readonly updates: VenueOrder[];
  /** Fills and updates interleaved in emission order. */
  readonly events: string[];
}

export interface HarnessOptions {
  readonly config?: Record<string, unknown>;
  readonly restore?: { collateral: number; positions: readonly Position[] };
  readonly instruments?: readonly Instrument[];
}

export function harness(opts: HarnessOptions = {}): Harness {
  const clock = new SimClock(T0);
  const venue = new PaperVenue({
    clock,
    instruments: opts.instruments ?? [ETH, BTC],
    config: paperConfigSchema.parse({ latencyMs: LATENCY, ...opts.config }),
    ...(opts.restore === undefined ? {} : { restore: opts.restore }),
  });
  const fills: Fill[] = [];
  const updates: VenueOrder[] = [];
  const events: string[] = [];
  venue.onFill((f) => {
    fills.push(f);
    events.push(`fill:${f.clientOrderId}`);
  });
  venue.onOrderUpdate((u) => {
    updates.push(u);
    events.push(`update:${u.clientOrderId}:${u.status}`);
  });
  return { clock, venue, fills, updates, events };
}

type Levels = readonly (readonly [number, number])[];

export function book(ts: number, bids: Levels, asks: Levels, symbol = 'ETH-PERP'): MarketEvent {
  return {
    kind: 'book',
    ts,
    book: {
      symbol,
      ts,
      seq: ts,
      bids: bids.map(([price, size]) => ({ price, size })),
      asks: asks.map(([price, size]) => ({ price, size })),
    },
  };
}

export function trade(ts: number, price: number, size: number, aggressor: Side, symbol = 'ETH-PERP'): MarketEvent {
  return { kind: 'trade', ts, trade: { symbol, ts, price, size, aggressor, tradeId: `t${ts}` } };
}

export function mark(ts: number, markPrice: number, fundingRate = 0, symbol = 'ETH-PERP'): MarketEvent {
  return { kind: 'mark', ts, mark: { symbol, ts, markPrice, fundingRate } };
}

/** Advances the clock to the event's time, then feeds it. */
export function feed(h: Harness, ...evs: MarketEvent[]): void {
  for (const ev of evs) {
    h.clock.advanceTo(ev.ts);
    h.venue.onMarketEvent(ev);
  }
}

let idCounter = 0;

export function req(partial: Partial<OrderRequest> & Pick<OrderRequest, 'side' | 'size'>): OrderRequest {
  return {
    clientOrderId: partial.clientOrderId ?? `c${++idCounter}`,
    symbol: 'ETH-PERP',
    type: 'limit',
    tif: 'GTC',
    reduceOnly: false,
    ...partial,
  };
}

/** Sends the order, lets the latency elapse, returns the ack promise (settled by then). */
export function submit(h: Harness, r: OrderRequest): Promise<VenueOrder> {
  const p = h.venue.placeOrder(r);
  h.clock.advanceTo(h.clock.now() + LATENCY);
  return p;
}

/** Sends a cancel and lets the latency elapse. */
export function cancel(h: Harness, clientOrderId: string, symbol = 'ETH-PERP'): Promise<void> {
  const p = h.venue.cancelOrder(clientOrderId, symbol);
  h.clock.advanceTo(h.clock.now() + LATENCY);
  return p;
}

export function positionSize(positions: readonly Position[], symbol = 'ETH-PERP'): number {
  return positions.find((p) => p.symbol === symbol)?.size ?? 0;
}
