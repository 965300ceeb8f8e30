import Database from 'better-sqlite3';
import { bench, describe } from 'vitest';
import { SimClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Fill, Instrument } from '../../src/core/types.js';
import type { Venue, VenueOrder } from '../../src/core/venue.js';
import { OrderManager } from '../../src/execution/order-manager.js';
import { VenueLimiter } from '../../src/core/venue-limiter.js';
import { Store } from '../../src/store/store.js';

// 1,000 orders each with one fill, in memory and on a WAL file (synchronous = NORMAL, as dnbot
// opens its database). Floor: the same rows inserted with raw better-sqlite3 statements (one
// transaction per order and per fill, as the OrderManager does). Ratio = our overhead.
const N = 1_000;
const inst: Instrument = {
  venue: 'bench', symbol: 'ETH-PERP', baseAsset: 'ETH', quoteAsset: 'USD', tickSize: 0.01, lotSize: 0.001, minSize: 0.001,
  minNotional: 1, maxLeverage: 20, makerFeeRate: 0.0001, takerFeeRate: 0.0005, initialMarginRatio: 0.05, maintenanceMarginRatio: 0.03, fundingIntervalMs: 3_600_000,
};

/** A venue that acknowledges nothing: placement requests stay queued, bookkeeping is what we measure. */
const inertVenue: Venue = {
  name: 'bench',
  capabilities: { postOnly: true, ioc: true, reduceOnly: true, maxClientOrderIdLength: 64 },
  instruments: () => Promise.resolve([inst]),
  placeOrder: () => new Promise<VenueOrder>(() => undefined),
  cancelOrder: () => Promise.resolve(),
  openOrders: () => Promise.resolve([]),
  lookupOrder: () => Promise.resolve(null),
  fillsSince: () => Promise.resolve([]),
  positions: () => Promise.resolve([]),
  account: () => Promise.resolve({ equity: 0, collateral: 0, freeCollateral: 0, initialMargin: 0, maintenanceMargin: 0 }),
  onFill: () => undefined,
  onOrderUpdate: () => undefined,
};

describe(`persist ${N} orders and their fills`, () => {
  bench('floor: raw better-sqlite3 inserts', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE o (id TEXT PRIMARY KEY, symbol TEXT, side TEXT, price REAL, size REAL, status TEXT, trace TEXT);
             CREATE TABLE f (id TEXT PRIMARY KEY, oid TEXT, price REAL, size REAL, fee REAL, ts INTEGER)`);
    const io = db.prepare('INSERT INTO o VALUES (?, ?, ?, ?, ?, ?, ?)');
    const uo = db.prepare('UPDATE o SET status = ? WHERE id = ?');
    const inf = db.prepare('INSERT INTO f VALUES (?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < N; i++) {
      const id = `o${i}`;
      db.transaction(() => io.run(id, 'ETH-PERP', 'buy', 3000, 0.1, 'pending_submit', '[]'))();
      db.transaction(() => {
        inf.run(`t${i}`, id, 3000, 0.1, 0.03, i);
        uo.run('filled', id);
      })();
    }
    db.close();
  });

  bench('OrderManager: write-ahead order rows, fill booking with position and daily volume', () => {
    const store = Store.open(':memory:');
    store.bots.ensure('b', 'dn-pair', 'bench', 0);
    const clock = new SimClock(0);
    const om = new OrderManager({
      clock, store, venue: inertVenue, limiter: new VenueLimiter({ clock, ratePerSecond: 1e9, burst: 1e9 }),
      logger: silentLogger, instruments: new Map([[inst.symbol, inst]]), idPrefix: 'b-',
    });
    for (let i = 0; i < N; i++) {
      const o = om.submit({ botId: 'b', symbol: 'ETH-PERP', side: i % 2 ? 'sell' : 'buy', type: 'limit', tif: 'GTC', price: 3000, size: 0.1, reduceOnly: false, purpose: 'entry', pairId: null, sizingTrace: [] });
      const fill: Fill = { tradeId: `t${i}`, clientOrderId: o.clientOrderId, venueOrderId: `v${i}`, symbol: 'ETH-PERP', side: o.side, price: 3000, size: 0.1, fee: 0.03, liquidity: 'maker', ts: i };
      om.handleFill(fill);
    }
    store.close();
  });
});
