/** An open ETH/SOL pair and what a PairExecutor unit test needs around it. */
import { SimClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Instrument, Position } from '../../src/core/types.js';
import type { OrderManager } from '../../src/execution/order-manager.js';
import { MarketState } from '../../src/engine/market-state.js';
import { PairExecutor, type PairExecutorOptions } from '../../src/engine/pair-executor.js';
import type { RoundTrip } from '../../src/store/round-trip-repository.js';
import { Store } from '../../src/store/store.js';
import { RestingOrders } from './resting-orders.js';

/** Bot b1's open pair `b1-rt1`, long ETH-PERP and short SOL-PERP, opened at `ts`. */
export function openPair(ts: number, targetNotional: number): RoundTrip {
  return { id: 'b1-rt1', botId: 'b1', status: 'open', longSymbol: 'ETH-PERP', shortSymbol: 'SOL-PERP', targetNotional, entryTs: ts, openTs: ts, exitTs: null, exitReason: null, realizedPnl: null, fees: null, signal: {}, updatedTs: ts };
}

/** An instrument with the lot (and minimum size) given, a cent tick and `minNotional`. */
export function lotInstrument(symbol: string, lotSize: number, minNotional: number): Instrument {
  return { symbol, lotSize, minSize: lotSize, minNotional, tickSize: 0.01 } as Instrument;
}

/** A market with one level a side per symbol, its mark at the mid. */
export function quotedMarket(ts: number, quotes: readonly { symbol: string; bid: number; ask: number; size: number }[]): MarketState {
  const market = new MarketState();
  for (const { symbol, bid, ask, size } of quotes) {
    market.apply({ kind: 'mark', ts, mark: { symbol, ts, markPrice: (bid + ask) / 2, fundingRate: 0 } });
    market.apply({ kind: 'book', ts, book: { symbol, ts, seq: 1, bids: [{ price: bid, size }], asks: [{ price: ask, size }] } });
  }
  return market;
}

/** Bot b1's pair executor over a fake order manager, with no logging. */
export function testExecutor(o: {
  readonly clock: SimClock;
  readonly store: Store;
  readonly orders: RestingOrders;
  readonly market: MarketState;
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly positions: () => ReadonlyMap<string, Position>;
  readonly config: PairExecutorOptions['config'];
  readonly hedgeRatio?: PairExecutorOptions['hedgeRatio'];
}): PairExecutor {
  return new PairExecutor({ botId: 'b1', clock: o.clock, store: o.store, orders: o.orders as unknown as OrderManager, market: o.market, logger: silentLogger, instruments: o.instruments, config: o.config, positions: o.positions, ...(o.hedgeRatio ? { hedgeRatio: o.hedgeRatio } : {}) });
}

/** What {@link openPairExecutor} sets up; `positions` is the executor's own map, changed in place by a test. */
export interface OpenPairSetup {
  readonly store: Store;
  readonly clock: SimClock;
  readonly market: MarketState;
  readonly positions: Map<string, Position>;
  readonly orders: RestingOrders;
  readonly executor: PairExecutor;
}

/**
 * Bot b1's executor over its open pair `b1-rt1` of `targetNotional`, saved at `ts` in a fresh
 * in-memory store: `ethLong` ETH-PERP held long from 3,000 and `solShort` SOL-PERP short from 150,
 * quoted as `quotes` (see {@link quotedMarket}); the fake order manager answers at the clock's time.
 */
export function openPairExecutor(o: {
  readonly ts: number;
  readonly targetNotional: number;
  readonly ethLong: number;
  readonly solShort: number;
  readonly quotes: readonly { symbol: string; bid: number; ask: number; size: number }[];
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly config: PairExecutorOptions['config'];
  readonly hedgeRatio?: PairExecutorOptions['hedgeRatio'];
}): OpenPairSetup {
  const store = Store.open(':memory:');
  const clock = new SimClock(o.ts);
  const market = quotedMarket(o.ts, o.quotes);
  const positions = new Map<string, Position>([
    ['ETH-PERP', { symbol: 'ETH-PERP', size: o.ethLong, entryPrice: 3_000 } as Position],
    ['SOL-PERP', { symbol: 'SOL-PERP', size: -o.solShort, entryPrice: 150 } as Position],
  ]);
  store.roundTrips.save(openPair(o.ts, o.targetNotional));
  const orders = new RestingOrders(() => clock.now());
  const executor = testExecutor({ clock, store, orders, market, instruments: o.instruments, config: o.config, positions: () => positions, ...(o.hedgeRatio ? { hedgeRatio: o.hedgeRatio } : {}) });
  return { store, clock, market, positions, orders, executor };
}
