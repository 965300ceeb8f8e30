import { SimClock, settle } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { Fill, Instrument, Order } from '../../../src/core/types.js';
import { OrderManager, type OrderIntent } from '../../../src/execution/order-manager.js';
import { VenueLimiter } from '../../../src/core/venue-limiter.js';
import { Store } from '../../../src/store/store.js';
import { FakeVenue } from './fake-venue.js';

export const T0 = Date.UTC(2024, 0, 15, 12, 0, 0);
export const BOT = 'bot1';
export const RESOLVE_DELAY_MS = 2_000;

export const ETH: Instrument = {
  venue: 'fake',
  symbol: 'ETH-PERP',
  baseAsset: 'ETH',
  quoteAsset: 'USD',
  tickSize: 0.01,
  lotSize: 0.001,
  minSize: 0.001,
  minNotional: 1,
  maxLeverage: 20,
  makerFeeRate: 0.0002,
  takerFeeRate: 0.0005,
  initialMarginRatio: 0.05,
  maintenanceMarginRatio: 0.03,
  fundingIntervalMs: 3_600_000,
};

export function intent(over: Partial<OrderIntent> = {}): OrderIntent {
  return {
    botId: BOT,
    symbol: ETH.symbol,
    side: 'buy',
    type: 'limit',
    tif: 'GTC',
    price: 2000,
    size: 0.5,
    reduceOnly: false,
    purpose: 'entry',
    pairId: null,
    sizingTrace: [],
    ...over,
  };
}

let tradeSeq = 0;

export function fillFor(order: Pick<Order, 'clientOrderId' | 'symbol' | 'side'>, over: Partial<Fill> = {}): Fill {
  return {
    tradeId: `t${++tradeSeq}`,
    clientOrderId: order.clientOrderId,
    venueOrderId: 'V-fill',
    symbol: order.symbol,
    side: order.side,
    price: 2000,
    size: 0.5,
    fee: 0.5,
    liquidity: 'maker',
    ts: T0,
    ...over,
  };
}

export interface Harness {
  readonly clock: SimClock;
  readonly store: Store;
  readonly venue: FakeVenue;
  readonly om: OrderManager;
}

export interface HarnessOptions {
  readonly clock?: SimClock;
  readonly store?: Store;
  readonly venue?: FakeVenue;
  readonly idPrefix?: string;
  readonly commitBeforeSend?: boolean;
}

/** An OrderManager over a fresh (or given) store and fake venue, with a limiter that never waits. */
export function makeHarness(opts: HarnessOptions = {}): Harness {
  const clock = opts.clock ?? new SimClock(T0);
  const store = opts.store ?? Store.open(':memory:');
  store.bots.ensure(BOT, 'dn-pair', 'fake', clock.now());
  const venue = opts.venue ?? new FakeVenue({ clock });
  const limiter = new VenueLimiter({ clock, ratePerSecond: 1_000, burst: 1_000 });
  const om = new OrderManager({
    clock,
    store,
    venue,
    limiter,
    logger: silentLogger,
    instruments: new Map([[ETH.symbol, ETH]]),
    idPrefix: opts.idPrefix ?? 'bot1-',
    resolveDelayMs: RESOLVE_DELAY_MS,
    ...(opts.commitBeforeSend !== undefined ? { commitBeforeSend: opts.commitBeforeSend } : {}),
  });
  return { clock, store, venue, om };
}

async function drain(): Promise<void> {
  for (let i = 0; i < 3; i++) await settle();
}

/** Moves the clock `ms` forward one timer at a time, letting promise continuations run between. */
export async function runFor(clock: SimClock, ms: number): Promise<void> {
  const end = clock.now() + ms;
  await drain();
  for (;;) {
    const next = clock.nextTimerAt();
    if (next === null || next > end) break;
    clock.advanceTo(next);
    await drain();
  }
  clock.advanceTo(end);
  await drain();
}
