import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Order, OrderStatus } from '../../../src/core/types.js';
import { utcDay } from '../../../src/core/utc-day.js';
import { LedgerTotals } from '../../../src/engine/ledger-totals.js';
import type { RoundTrip } from '../../../src/store/round-trip-repository.js';
import { Store } from '../../../src/store/store.js';
import { ledgerFullScan } from '../../support/ledger-full-scan.js';

const T = Date.UTC(2024, 2, 1);
const BOTS = ['b1', 'b2'] as const;
const STATUSES: readonly OrderStatus[] = ['pending_submit', 'open', 'partially_filled', 'filled', 'cancel_pending', 'canceled', 'rejected', 'expired', 'unknown'];

function order(id: string, botId: string, status: OrderStatus, rejectReason: string | null): Order {
  return {
    clientOrderId: id,
    botId,
    venue: 'v',
    symbol: 'ETH-PERP',
    side: 'buy',
    type: 'limit',
    tif: 'GTC',
    price: 2000,
    size: 1,
    reduceOnly: false,
    purpose: 'entry',
    pairId: null,
    status,
    venueOrderId: null,
    filledSize: 0,
    avgFillPrice: null,
    feesPaid: 0,
    rejectReason,
    sizingTrace: [],
    createdTs: T,
    updatedTs: T,
  };
}

function trip(id: string, botId: string, status: RoundTrip['status'], exitTs: number, pnl: number): RoundTrip {
  return {
    id,
    botId,
    status,
    longSymbol: 'ETH-PERP',
    shortSymbol: 'SOL-PERP',
    targetNotional: 100,
    entryTs: T,
    openTs: T,
    exitTs: status === 'closed' || status === 'canceled' ? exitTs : null,
    exitReason: null,
    realizedPnl: status === 'closed' || status === 'canceled' ? pnl : null,
    fees: null,
    signal: {},
    updatedTs: T,
  };
}

const reason = fc.constantFrom(null, 'post_only_would_cross', 'unknown', 'Ä rejected');
const op = fc.oneof(
  fc.record({ k: fc.constant('order' as const), bot: fc.constantFrom(...BOTS), status: fc.constantFrom<OrderStatus>('pending_submit', 'open', 'rejected', 'filled'), reason }),
  fc.record({ k: fc.constant('status' as const), at: fc.nat(), status: fc.constantFrom(...STATUSES), reason }),
  // Fees on a 1/1024 grid: their sums are exact in any order, so the order SQLite's GROUP BY reads
  // them in cannot matter; daily rows and trip PnL take any double (their order is kept).
  fc.record({ k: fc.constant('fill' as const), at: fc.nat(), symbol: fc.constantFrom('ETH-PERP', 'SOL-PERP', 'Ä-PERP'), fee: fc.integer({ min: -4096, max: 4096 }).map((n) => n / 1024), day: fc.integer({ min: 0, max: 3 }), pnl: fc.double({ min: -1e4, max: 1e4, noNaN: true }) }),
  fc.record({ k: fc.constant('trip' as const), bot: fc.constantFrom(...BOTS), id: fc.integer({ min: 0, max: 12 }), status: fc.constantFrom<RoundTrip['status']>('entering', 'open', 'closed', 'canceled'), exit: fc.integer({ min: 0, max: 20 }), pnl: fc.oneof(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.constantFrom(1e17, -1e17, 3, 0.1, -2.5e-3)) }),
  fc.record({ k: fc.constant('read' as const) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

describe('LedgerTotals', () => {
  it('equals the full-history queries after any sequence of writes, read at any point (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), fc.boolean(), (ops, attachFirst) => {
        const store = Store.open(':memory:');
        for (const b of BOTS) store.bots.ensure(b, 'dn_pair', 'v', T);
        let totals = attachFirst ? LedgerTotals.attach(store.db) : null;
        const orders: Order[] = [];
        let trade = 0;
        const check = (t: LedgerTotals): void => {
          for (const b of BOTS) {
            const got = t.bot(b);
            const want = ledgerFullScan(store, b);
            expect(got).toEqual(want);
            expect(Object.keys(got.fillsBySymbol)).toEqual(Object.keys(want.fillsBySymbol));
            expect(Object.keys(got.ordersByStatus)).toEqual(Object.keys(want.ordersByStatus));
            expect(Object.keys(got.rejectionsByReason)).toEqual(Object.keys(want.rejectionsByReason));
          }
        };
        for (const o of ops) {
          switch (o.k) {
            case 'order': {
              const row = order(`o${orders.length}`, o.bot, o.status, o.status === 'rejected' ? o.reason : null);
              store.orders.insert(row);
              orders.push(row);
              break;
            }
            case 'status': {
              if (orders.length === 0) break;
              const i = o.at % orders.length;
              const next = { ...orders[i]!, status: o.status, rejectReason: o.reason };
              store.orders.update(next);
              orders[i] = next;
              break;
            }
            case 'fill': {
              if (orders.length === 0) break;
              const ord = orders[o.at % orders.length]!;
              const ts = T + o.day * 86_400_000 + trade;
              store.fills.insert('v', { tradeId: `t${trade++}`, clientOrderId: ord.clientOrderId, venueOrderId: 'V', symbol: o.symbol, side: 'buy', price: 10, size: 1, fee: o.fee, liquidity: 'maker', ts });
              store.dailyVolume.addFill(ord.botId, utcDay(ts), 10, o.fee, o.pnl);
              break;
            }
            case 'trip':
              store.roundTrips.save(trip(`${o.bot}-rt${o.id}`, o.bot, o.status, T + o.exit * 1000, o.pnl));
              break;
            case 'read':
              if (totals) check(totals);
              else totals = LedgerTotals.attach(store.db);
              break;
          }
        }
        check(totals ?? LedgerTotals.attach(store.db));
        check(LedgerTotals.scan(store.db));
        store.close();
      }),
      { numRuns: 150 },
    );
  });

  it('equals a full recount after any sequence of committed and rolled-back transactions and savepoints, batched or not (property)', () => {
    class Rollback extends Error {}
    const group = fc.record({ ops: fc.array(op, { maxLength: 8 }), outcome: fc.constantFrom('commit' as const, 'rollback' as const, 'savepoint-rollback' as const, 'plain' as const) });
    fc.assert(
      fc.property(fc.array(group, { maxLength: 14 }), fc.boolean(), (groups, batched) => {
        const store = Store.open(':memory:');
        for (const b of BOTS) store.bots.ensure(b, 'dn_pair', 'v', T);
        const totals = LedgerTotals.attach(store.db);
        let orders: Order[] = [];
        let trade = 0;
        const check = (): void => {
          for (const b of BOTS) expect(totals.bot(b)).toEqual(ledgerFullScan(store, b));
        };
        const apply = (x: Op): void => {
          switch (x.k) {
            case 'order': {
              const row = order(`o${trade++}`, x.bot, x.status, x.status === 'rejected' ? x.reason : null);
              store.orders.insert(row);
              orders.push(row);
              break;
            }
            case 'status': {
              if (orders.length === 0) break;
              const i = x.at % orders.length;
              const next = { ...orders[i]!, status: x.status, rejectReason: x.reason };
              store.orders.update(next);
              orders[i] = next;
              break;
            }
            case 'fill': {
              if (orders.length === 0) break;
              const ord = orders[x.at % orders.length]!;
              const ts = T + x.day * 86_400_000 + trade;
              store.fills.insert('v', { tradeId: `t${trade++}`, clientOrderId: ord.clientOrderId, venueOrderId: 'V', symbol: x.symbol, side: 'buy', price: 10, size: 1, fee: x.fee, liquidity: 'maker', ts });
              store.dailyVolume.addFill(ord.botId, utcDay(ts), 10, x.fee, x.pnl);
              break;
            }
            case 'trip':
              store.roundTrips.save(trip(`${x.bot}-rt${x.id}`, x.bot, x.status, T + x.exit * 1000, x.pnl));
              break;
            case 'read':
              check(); // inside the transaction: what this connection sees, uncommitted rows and all
              break;
          }
        };
        /** Runs `ops` in a transaction that throws at its end: its rows, and what it did to `orders`, are taken back. */
        const rolledBack = (ops: readonly Op[]): void => {
          const kept = [...orders];
          try {
            store.transaction(() => {
              for (const o of ops) apply(o);
              throw new Rollback();
            });
          } catch (err) {
            if (!(err instanceof Rollback)) throw err;
            orders = kept;
          }
        };
        if (batched) store.batching.start(0);
        for (const [i, g] of groups.entries()) {
          store.batching.begin();
          switch (g.outcome) {
            case 'plain': // each write its own transaction
              for (const o of g.ops) apply(o);
              break;
            case 'commit':
              store.transaction(() => {
                for (const o of g.ops) apply(o);
              });
              break;
            case 'rollback':
              rolledBack(g.ops);
              break;
            case 'savepoint-rollback': {
              const half = Math.floor(g.ops.length / 2);
              store.transaction(() => {
                for (const o of g.ops.slice(0, half)) apply(o);
                rolledBack(g.ops.slice(half));
              });
              break;
            }
          }
          check();
          if (i % 3 === 2) store.batching.end(0);
        }
        store.batching.stop();
        check();
        expect(LedgerTotals.scan(store.db).bot(BOTS[0])).toEqual(ledgerFullScan(store, BOTS[0]));
        store.close();
      }),
      { numRuns: 150 },
    );
  });

  it('stops following the database once detached', () => {
    const store = Store.open(':memory:');
    const totals = LedgerTotals.attach(store.db);
    store.orders.insert(order('o1', 'b1', 'open', null));
    totals.detach();
    store.orders.insert(order('o2', 'b1', 'open', null));
    expect(totals.bot('b1').ordersByStatus).toEqual({ open: 1 });
    store.close();
  });
});
