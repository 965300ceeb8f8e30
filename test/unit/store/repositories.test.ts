import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Fill, Order } from '../../../src/core/types.js';
import type { RoundTrip } from '../../../src/store/round-trip-repository.js';
import { Store } from '../../../src/store/store.js';
import { unpackTraceIds } from '../../../src/store/trace-ids.js';

const T = Date.UTC(2024, 2, 1);

function order(over: Partial<Order> = {}): Order {
  return {
    clientOrderId: 'o1',
    botId: 'b1',
    venue: 'v',
    symbol: 'ETH-PERP',
    side: 'buy',
    type: 'limit',
    tif: 'GTC',
    price: 2000.5,
    size: 1.25,
    reduceOnly: false,
    purpose: 'entry',
    pairId: 'p1',
    status: 'pending_submit',
    venueOrderId: null,
    filledSize: 0,
    avgFillPrice: null,
    feesPaid: 0,
    rejectReason: null,
    sizingTrace: [{ step: 'cap', input: 2, output: 1.25, reason: 'leverage' }],
    createdTs: T,
    updatedTs: T,
    ...over,
  };
}

function fill(over: Partial<Fill> = {}): Fill {
  return {
    tradeId: 'tr1',
    clientOrderId: 'o1',
    venueOrderId: 'V1',
    symbol: 'ETH-PERP',
    side: 'buy',
    price: 2000,
    size: 0.5,
    fee: -0.1,
    liquidity: 'maker',
    ts: T,
    ...over,
  };
}

function roundTrip(over: Partial<RoundTrip> = {}): RoundTrip {
  return {
    id: 'rt1',
    botId: 'b1',
    status: 'entering',
    longSymbol: 'ETH-PERP',
    shortSymbol: 'BTC-PERP',
    targetNotional: 5000,
    entryTs: T,
    openTs: null,
    exitTs: null,
    exitReason: null,
    realizedPnl: null,
    fees: null,
    signal: { z: -2.1, beta: 0.85 },
    updatedTs: T,
    ...over,
  };
}

describe('SequenceRepository', () => {
  it('counts each name from 1 without gaps or repeats (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('coid:a', 'coid:b', 'pair'), { maxLength: 60 }), (names) => {
        const store = Store.open(':memory:');
        const seen = new Map<string, number[]>();
        for (const n of names) seen.set(n, [...(seen.get(n) ?? []), store.sequences.next(n)]);
        for (const values of seen.values()) expect(values).toEqual(values.map((_, i) => i + 1));
        store.close();
      }),
    );
  });

  it('continues after a reopen of the same file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnbot-seq-'));
    const path = join(dir, 'db.sqlite');
    try {
      const values: number[] = [];
      for (let run = 0; run < 3; run++) {
        const store = Store.open(path);
        values.push(store.sequences.next('coid:x'), store.sequences.next('coid:x'));
        store.close();
      }
      expect(values).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('OrderRepository', () => {
  it('round-trips every field, with and without a price', () => {
    const store = Store.open(':memory:');
    const { price: _omit, ...marketBase } = order({ clientOrderId: 'o2', type: 'market', tif: 'IOC', reduceOnly: true });
    const withPrice = order();

    store.orders.insert(withPrice);
    store.orders.insert(marketBase);

    expect(store.orders.get('o1')).toEqual(withPrice);
    expect(store.orders.get('o2')).toEqual(marketBase);
    expect('price' in store.orders.get('o2')!).toBe(false);
    expect(store.orders.get('nope')).toBeNull();
  });

  it('updates only the mutable fields; active() excludes terminal orders; duplicates are refused', () => {
    const store = Store.open(':memory:');
    for (const [id, status] of [['a', 'open'], ['b', 'filled'], ['c', 'unknown'], ['d', 'canceled']] as const) {
      store.orders.insert(order({ clientOrderId: id, status, createdTs: T + id.charCodeAt(0) }));
    }
    const updated = order({ clientOrderId: 'a', status: 'partially_filled', filledSize: 0.5, avgFillPrice: 2001, feesPaid: 0.2, venueOrderId: 'V9', updatedTs: T + 5 });

    store.orders.update({ ...updated, size: 99, symbol: 'IGNORED' });

    expect(store.orders.get('a')).toEqual({ ...updated, createdTs: T + 97 });
    expect(store.orders.active('v').map((o) => o.clientOrderId)).toEqual(['a', 'c']);
    expect(store.orders.active('other')).toEqual([]);
    expect(store.orders.countByStatus('b1')).toEqual({ partially_filled: 1, filled: 1, unknown: 1, canceled: 1 });
    expect(store.orders.list({ status: 'filled' }).map((o) => o.clientOrderId)).toEqual(['b']);
    expect(() => store.orders.insert(order({ clientOrderId: 'a' }))).toThrow();
  });

  it('stores a sizing step shared by several orders once, and gives each order its trace back as written', () => {
    const store = Store.open(':memory:');
    const base = [
      { step: 'base', input: 500, output: 500, reason: 'progressive: $500.00 × min(phase 1 multiplier 1, collateral growth 1.000)' },
      { step: 'risk_multiplier', input: 500, output: 673.1500115221511, reason: '× 1.3463' },
    ];
    const legs = [
      order({ clientOrderId: 'l1', sizingTrace: [...base, { step: 'lot_round', input: 0.0334, output: 0.033, reason: 'ETH-PERP lot 0.001' }] }),
      order({ clientOrderId: 'l2', symbol: 'SOL-PERP', sizingTrace: [...base, { step: 'lot_round', input: 0.664, output: 0.66, reason: 'SOL-PERP lot 0.01' }] }),
      order({ clientOrderId: 'l3', symbol: 'SOL-PERP', sizingTrace: [...base, { step: 'lot_round', input: 0.664, output: 0.66, reason: 'SOL-PERP lot 0.01' }] }),
      order({ clientOrderId: 'l4', sizingTrace: [] }),
    ];
    for (const o of legs) store.orders.insert(o);

    for (const o of legs) expect(JSON.stringify(store.orders.get(o.clientOrderId)!.sizingTrace)).toBe(JSON.stringify(o.sizingTrace));
    expect((store.db.prepare('SELECT COUNT(*) AS n FROM sizing_steps').get() as { n: number }).n).toBe(4);
    // The long text is nowhere in the orders table.
    expect((store.db.prepare("SELECT COUNT(*) AS n FROM orders WHERE sizing_trace LIKE '%progressive%'").get() as { n: number }).n).toBe(0);
  });

  it('a step written by a transaction that rolled back is written again by the next order that uses it', () => {
    const store = Store.open(':memory:');
    const trace = [{ step: 'cap', input: 3, output: 2, reason: 'only in a rolled-back order at first' }];
    expect(() => store.transaction(() => {
      store.orders.insert(order({ clientOrderId: 'gone', sizingTrace: trace }));
      throw new Error('abort');
    })).toThrow('abort');
    store.orders.insert(order({ clientOrderId: 'kept', sizingTrace: trace }));
    expect(store.orders.get('gone')).toBeNull();
    expect(store.orders.get('kept')!.sizingTrace).toEqual(trace);
  });

  it("reads an order's trace back from memory: stored step rows never change", () => {
    const store = Store.open(':memory:');
    const trace = [{ step: 'cap', input: 3, output: 2, reason: 'leverage' }, { step: 'lot_round', input: 2, output: 2, reason: 'lot 0.001' }];
    store.orders.insert(order({ clientOrderId: 'a', sizingTrace: trace }));
    // Gone from the table (as it never is): the trace is still resolved, so SQLite was not asked.
    store.db.exec('DELETE FROM sizing_steps');
    expect(store.orders.get('a')!.sizingTrace).toEqual(trace);
    store.close();
  });

  it('a step id given again after a rollback resolves to its new text, not the rolled-back one', () => {
    const store = Store.open(':memory:');
    const lost = [{ step: 'cap', input: 3, output: 2, reason: 'rolled back' }];
    const kept = [{ step: 'cap', input: 4, output: 1, reason: 'kept' }];
    expect(() => store.transaction(() => {
      store.orders.insert(order({ clientOrderId: 'gone', sizingTrace: lost }));
      throw new Error('abort');
    })).toThrow('abort');
    store.orders.insert(order({ clientOrderId: 'kept', sizingTrace: kept }));
    expect((store.db.prepare('SELECT trace_steps FROM orders').pluck().all() as Buffer[]).map(unpackTraceIds)).toEqual([[1]]);
    expect(store.orders.get('kept')!.sizingTrace).toEqual(kept);
    store.close();
  });

  it('reads orders written before the steps table with their trace inline', () => {
    const store = Store.open(':memory:');
    store.orders.insert(order({ clientOrderId: 'new' }));
    store.db.prepare("INSERT INTO orders (client_order_id, bot_id, venue, symbol, side, type, tif, price, size, reduce_only, purpose, pair_id, status, filled_size, fees_paid, sizing_trace, created_ts, updated_ts) SELECT 'old', bot_id, venue, symbol, side, type, tif, price, size, reduce_only, purpose, pair_id, status, filled_size, fees_paid, ?, created_ts, updated_ts FROM orders WHERE client_order_id = 'new'")
      .run(JSON.stringify([{ step: 'legacy', input: 1, output: 1, reason: 'inline' }]));
    expect(store.orders.get('old')!.sizingTrace).toEqual([{ step: 'legacy', input: 1, output: 1, reason: 'inline' }]);
  });
});

describe('bounded reads for the status API', () => {
  it("a bot's open orders are active()'s rows for that bot, read from the (bot, status) index", () => {
    const store = Store.open(':memory:');
    const rows = [['a', 'b1', 'open'], ['b', 'b2', 'open'], ['c', 'b1', 'filled'], ['d', 'b1', 'cancel_pending'], ['e', 'b1', 'unknown'], ['f', 'b1', 'pending_submit'], ['g', 'b1', 'partially_filled'], ['h', 'b1', 'expired']] as const;
    for (const [id, botId, status] of rows) store.orders.insert(order({ clientOrderId: id, botId, status, createdTs: T - id.charCodeAt(0) }));
    store.orders.insert(order({ clientOrderId: 'x', botId: 'b1', status: 'open', venue: 'w' }));
    expect(store.orders.activeForBot('b1', 'v')).toEqual(store.orders.active('v').filter((o) => o.botId === 'b1'));
    expect(store.orders.activeForBot('b1', 'v').map((o) => o.clientOrderId)).toEqual(['g', 'f', 'e', 'd', 'a']);
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM orders INDEXED BY orders_working WHERE bot_id = 'b1' AND status IN ('pending_submit','open','partially_filled','cancel_pending','unknown') AND venue = 'v'`).all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('orders_working (bot_id=? AND status=?)');
    store.close();
  });

  it("the day's trade keys walk the day's fills from their time index, not every order of the bot", () => {
    const store = Store.open(':memory:');
    store.orders.insert(order({ clientOrderId: 'o1', pairId: 'p1' }));
    store.orders.insert(order({ clientOrderId: 'o2', pairId: null }));
    store.fills.insert('v', fill({ tradeId: 't1', clientOrderId: 'o1', ts: T + 1 }));
    store.fills.insert('v', fill({ tradeId: 't2', clientOrderId: 'o1', ts: T + 2 }));
    store.fills.insert('v', fill({ tradeId: 't3', clientOrderId: 'o2', ts: T + 86_400_000 }));
    expect(store.dailyVolume.tradeKeys('b1', '2024-03-01')).toEqual(['p1|ETH-PERP|buy']);
    expect(store.dailyVolume.tradeKeys('b1', '2024-03-02')).toEqual(['o2']);
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN SELECT o.pair_id FROM fills f CROSS JOIN orders o ON o.client_order_id = f.client_order_id WHERE o.bot_id = 'b1' AND f.ts >= 0 AND f.ts < 1`).all() as { detail: string }[];
    expect(plan[0]!.detail).toContain('fills_ts');
    store.close();
  });

  it('counts the ExitBrain stream once, then only the rows after the last one seen', () => {
    const store = Store.open(':memory:');
    const ev = { pairId: 'p1', botId: 'b1', kind: 'plan' as const, level: null, symbol: 'ETH-PERP', leverage: 2, tp1: 0.01, tp2: 0.02, tp3: 0.03, sl: 0.01, harvest_scheme: [0.5, 0.5], LSF: 1, adjustment: 1, avg_pnl_last_20: null, timestamp: 1, ts: T };
    expect(store.exitPlans.count()).toBe(0);
    store.exitPlans.record(ev);
    store.exitPlans.record(ev);
    expect(store.exitPlans.count()).toBe(2);
    expect(store.exitPlans.count()).toBe(2);
    store.exitPlans.record(ev);
    expect(store.exitPlans.count()).toBe((store.db.prepare('SELECT COUNT(*) AS n FROM exit_events').get() as { n: number }).n);
    store.close();
  });
});

describe('FillRepository', () => {
  it('is idempotent on (venue, trade id), tracks the last ts, and requires the order to exist', () => {
    const store = Store.open(':memory:');
    store.orders.insert(order());

    const first = store.fills.insert('v', fill());
    const dup = store.fills.insert('v', fill({ price: 1 }));
    const otherVenue = store.fills.insert('w', fill());
    const later = store.fills.insert('v', fill({ tradeId: 'tr2', ts: T + 10 }));

    expect([first, dup, otherVenue, later]).toEqual([true, false, true, true]);
    expect(store.fills.forOrder('o1')).toHaveLength(3);
    expect(store.fills.all('v')).toEqual([fill(), fill({ tradeId: 'tr2', ts: T + 10 })]);
    expect(store.fills.lastTs('v')).toBe(T + 10);
    expect(store.fills.lastTs('none')).toBeNull();
    expect(() => store.fills.insert('v', fill({ tradeId: 'x', clientOrderId: 'ghost' }))).toThrow();
  });
});

describe('FillRepository: a fill stored under its legacy trade id', () => {
  // Nado's ids were `index:digest` and are now `index:digest:filled`; one submission can match one
  // order twice with the same size and price, and the old form kept only one of those matches.
  const legacy = '7:0xd1';
  const m1 = fill({ tradeId: '7:0xd1:200', legacyTradeId: legacy, venueOrderId: '0xd1', size: 0.2 });
  const m2 = fill({ tradeId: '7:0xd1:400', legacyTradeId: legacy, venueOrderId: '0xd1', size: 0.2 });

  function withLegacyRow(): Store {
    const store = Store.open(':memory:');
    store.orders.insert(order());
    store.fills.insert('v', fill({ tradeId: legacy, venueOrderId: '0xd1', size: 0.2 }));
    store.markouts.save({ venue: 'v', tradeId: legacy, botId: 'b1', symbol: 'ETH-PERP', side: 'buy', price: 2000, size: 0.2, liquidity: 'maker', ts: T, midAtFill: 2000, mids: [null, null, null] });
    return store;
  }

  it('is that fill: the row takes the new id (with its markout), nothing is booked twice, and a second match of the submission is booked', () => {
    const store = withLegacyRow();
    expect(store.transaction(() => store.fills.insert('v', m1))).toBe(false);
    expect(store.fills.all('v').map((f) => f.tradeId)).toEqual(['7:0xd1:200']);
    expect(store.markouts.range('b1', 0, T + 1).map((m) => m.tradeId)).toEqual(['7:0xd1:200']);
    expect(store.fills.insert('v', m1)).toBe(false); // delivered again under the new id
    expect(store.fills.insert('v', m2)).toBe(true); // the match the old id had collapsed
    expect(store.fills.all('v').map((f) => f.tradeId)).toEqual(['7:0xd1:200', '7:0xd1:400']);
  });

  it('is not a fill of another order, size or price: those are booked', () => {
    for (const other of [{ venueOrderId: '0xd2' }, { size: 0.3 }, { price: 2000.5 }]) {
      const store = withLegacyRow();
      expect(store.fills.insert('v', { ...m1, ...other })).toBe(true);
      expect(store.fills.all('v').map((f) => f.tradeId)).toEqual([legacy, '7:0xd1:200']);
    }
  });
});

describe('FillRepository.recentForBot', () => {
  it("gives a bot's latest fills, newest first, with its orders' purpose and pair, and leaves other bots' out", () => {
    const store = Store.open(':memory:');
    store.orders.insert(order({ clientOrderId: 'a', botId: 'b1', purpose: 'entry', pairId: 'p1' }));
    store.orders.insert(order({ clientOrderId: 'h', botId: 'b1', purpose: 'hedge', pairId: null }));
    store.orders.insert(order({ clientOrderId: 'z', botId: 'b2' }));
    ['a', 'z', 'h', 'z', 'a'].forEach((id, k) => store.fills.insert('v', fill({ tradeId: `t${k}`, clientOrderId: id, ts: T + k })));
    const recent = store.fills.recentForBot('b1', 2);
    expect(recent.map((f) => [f.tradeId, f.purpose, f.pairId])).toEqual([['t4', 'entry', 'p1'], ['t2', 'hedge', null]]);
    expect(store.fills.recentForBot('b1', 10).map((f) => f.tradeId)).toEqual(['t4', 't2', 't0']);
    expect(store.fills.recentForBot('nobody', 10)).toEqual([]);
  });

  it('walks the fills from the newest back, without sorting the history', () => {
    const store = Store.open(':memory:');
    const detail = (store.db.prepare(`EXPLAIN QUERY PLAN SELECT f.* FROM fills f CROSS JOIN orders o ON o.client_order_id = f.client_order_id WHERE o.bot_id = ? ORDER BY f.rowid DESC LIMIT ?`).all('b1', 20) as { detail: string }[])
      .map((r) => r.detail)
      .join('; ');
    expect(detail).toMatch(/^SCAN f/);
    expect(detail).not.toContain('TEMP B-TREE');
  });
});

describe('MarkoutRepository', () => {
  it('reads back each column of a saved markout as saved, and a second save of the trade replaces it', () => {
    const store = Store.open(':memory:');
    const m = { venue: 'v', tradeId: 't1', botId: 'b1', symbol: 'ETH-PERP', side: 'sell' as const, price: 2001, size: 0.3, liquidity: 'taker' as const, ts: 5_000, midAtFill: 2000.5, mids: [2000.1, 2000.2, null] as const };
    store.db
      .prepare(
        `INSERT INTO orders (client_order_id, bot_id, venue, symbol, side, type, tif, price, size, reduce_only, purpose, pair_id, status, filled_size, sizing_trace, created_ts, updated_ts)
         VALUES (?, ?, 'v', 'ETH-PERP', 'sell', 'limit', 'IOC', 2001, 0.3, 0, 'entry', 'p', 'filled', 0.3, '', 1, 1)`,
      )
      .run('o1', 'b1');
    const fill = { tradeId: 't1', clientOrderId: 'o1', venueOrderId: 'x', symbol: 'ETH-PERP', side: 'sell' as const, price: 2001, size: 0.3, fee: 0.1, liquidity: 'taker' as const, ts: 5_000 };
    store.fills.insert('v', fill);
    // Kept on the fill's row: a trade with no fill stored is refused, nothing written.
    expect(store.markouts.save({ ...m, tradeId: 'nope' })).toBe(false);
    expect(store.markouts.range('b1', 0, 10_000)).toEqual([]);
    expect(store.markouts.save({ ...m, mids: [null, null, null] })).toBe(true);
    store.markouts.save(m);
    expect(store.markouts.range('b1', 0, 10_000)).toEqual([m]);
    expect(store.markouts.range('b2', 0, 10_000)).toEqual([]);
    expect(store.markouts.range('b1', 0, 5_000)).toEqual([]);
    // The fill delivered again under a new id form: the row takes the id, and keeps its markout.
    expect(store.fills.insert('v', { ...fill, tradeId: 't1-0.3', legacyTradeId: 't1' })).toBe(false);
    expect(store.markouts.range('b1', 0, 10_000)).toEqual([{ ...m, tradeId: 't1-0.3' }]);
    store.close();
  });
});

describe('PositionRepository and DailyVolumeRepository', () => {
  it('positions round-trip and an upsert replaces the row', () => {
    const store = Store.open(':memory:');

    store.positions.upsert('b1', 'v', { symbol: 'ETH-PERP', size: 1.5, entryPrice: 2000, realizedPnl: 0 }, T);
    store.positions.upsert('b1', 'v', { symbol: 'BTC-PERP', size: -0.1, entryPrice: 40000, realizedPnl: 3 }, T);
    store.positions.upsert('b1', 'v', { symbol: 'ETH-PERP', size: 0, entryPrice: 0, realizedPnl: 12.5 }, T + 1);

    expect(store.positions.get('b1', 'v', 'ETH-PERP')).toEqual({ symbol: 'ETH-PERP', size: 0, entryPrice: 0, realizedPnl: 12.5 });
    expect(store.positions.list('b1', 'v').map((p) => p.symbol)).toEqual(['BTC-PERP', 'ETH-PERP']);
    expect(store.positions.get('b2', 'v', 'ETH-PERP')).toBeNull();
  });

  it('daily volume accumulates per bot and day, and reads zeros for an empty day', () => {
    const store = Store.open(':memory:');

    store.dailyVolume.addFill('b1', '2024-03-02', 1000, 0.5, 2);
    store.dailyVolume.addFill('b1', '2024-03-01', 300, 0.1, -1);
    store.dailyVolume.addFill('b1', '2024-03-02', 500, -0.2, 1);
    store.dailyVolume.addFill('b2', '2024-03-02', 7, 0, 0);

    expect(store.dailyVolume.get('b1', '2024-03-02')).toEqual({ day: '2024-03-02', volumeUsd: 1500, feesUsd: 0.3, fills: 2, realizedPnl: 3 });
    expect(store.dailyVolume.get('b1', '2024-03-09')).toEqual({ day: '2024-03-09', volumeUsd: 0, feesUsd: 0, fills: 0, realizedPnl: 0 });
    expect(store.dailyVolume.history('b1').map((d) => [d.day, d.fills])).toEqual([
      ['2024-03-01', 1],
      ['2024-03-02', 2],
    ]);
  });
});

describe('RoundTripRepository', () => {
  it('round-trips a pair through its life and lists it by status', () => {
    const store = Store.open(':memory:');
    const entering = roundTrip();
    const other = roundTrip({ id: 'rt2', entryTs: T + 1 });
    store.roundTrips.save(entering);
    store.roundTrips.save(other);
    const activeAtEntry = store.roundTrips.active('b1');

    const closed = { ...entering, status: 'closed' as const, openTs: T + 10, exitTs: T + 99, exitReason: 'take_profit', realizedPnl: 12.5, fees: 1.2, updatedTs: T + 99 };
    store.roundTrips.save(closed);

    expect(activeAtEntry).toEqual([entering, other]);
    expect(store.roundTrips.active('b1')).toEqual([other]);
    expect(store.roundTrips.closed('b1')).toEqual([closed]);
    expect(store.roundTrips.closed()).toEqual([closed]);
    expect(store.roundTrips.count('b1')).toEqual({ closed: 1, entering: 1 });
  });

  it('reads the last N closed round trips, optionally after a time, oldest first', () => {
    const store = Store.open(':memory:');
    for (let i = 1; i <= 6; i++) {
      store.roundTrips.save(roundTrip({ id: `rt${i}`, status: 'closed', entryTs: T, exitTs: T + i * 10, realizedPnl: i, updatedTs: T + i * 10 }));
    }
    store.roundTrips.save(roundTrip({ id: 'rt-open', status: 'open', entryTs: T, exitTs: null }));
    store.roundTrips.save(roundTrip({ id: 'rt-other', botId: 'b2', status: 'closed', entryTs: T, exitTs: T + 100, realizedPnl: 99 }));

    expect(store.roundTrips.recentPnls('b1', 3)).toEqual([4, 5, 6]);
    expect(store.roundTrips.recentPnlsSince('b1', T + 20, 10)).toEqual([3, 4, 5, 6]);
    expect(store.roundTrips.recentPnlsSince('b1', T + 20, 2)).toEqual([5, 6]);
    expect(store.roundTrips.recentClosed('b1', 2).map((t) => t.id)).toEqual(['rt6', 'rt5']);
    expect(store.roundTrips.recentClosed('b2', 5).map((t) => t.id)).toEqual(['rt-other']);
  });

  it('reads recent closed round trips from an index, without scanning or sorting the history', () => {
    const store = Store.open(':memory:');
    const plan = (sql: string): string =>
      (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('b1', 0, 50) as { detail: string }[]).map((r) => r.detail).join('; ');

    const since = plan(`SELECT realized_pnl FROM round_trips WHERE bot_id = ? AND status = 'closed' AND exit_ts > ? ORDER BY exit_ts DESC, id DESC LIMIT ?`);

    expect(since).toContain('USING INDEX round_trips_closed_exit');
    expect(since).not.toContain('TEMP B-TREE');
  });
});

describe('Store.transaction', () => {
  it('rolls every write back when the function throws', () => {
    const store = Store.open(':memory:');

    expect(() =>
      store.transaction(() => {
        store.orders.insert(order());
        store.sequences.next('coid:x');
        throw new Error('abort');
      }),
    ).toThrow('abort');

    expect(store.orders.get('o1')).toBeNull();
    expect(store.sequences.next('coid:x')).toBe(1);
  });
});

describe('BarRepository', () => {
  const H = 3_600_000;
  const M = 60_000;

  it('keeps an hour of closes in one row and reads back the last N since a time, oldest first, across hours and gaps', () => {
    const store = Store.open(':memory:');
    const expected: { ts: number; close: number }[] = [];
    for (let m = 0; m < 150; m++) {
      if (m % 7 === 3) continue; // a minute without a close
      const ts = T + m * M;
      store.bars.record('sim', 'ETH-PERP', ts, 2000 + m / 8);
      expected.push({ ts, close: 2000 + m / 8 });
    }
    store.bars.record('sim', 'SOL-PERP', T, 150);
    // A rewritten minute replaces its close.
    store.bars.record('sim', 'ETH-PERP', T + 149 * M, 1999.5);
    expected[expected.length - 1] = { ts: T + 149 * M, close: 1999.5 };

    expect((store.db.prepare('SELECT COUNT(*) AS n FROM bar_hours').get() as { n: number }).n).toBe(4);
    expect(store.bars.closes('sim', 'ETH-PERP', 1_000)).toEqual(expected);
    expect(store.bars.closes('sim', 'ETH-PERP', 70)).toEqual(expected.slice(-70));
    expect(store.bars.closes('sim', 'ETH-PERP', 1_000, T + 61 * M)).toEqual(expected.filter((b) => b.ts >= T + 61 * M));
    expect(store.bars.closesBetween('sim', 'ETH-PERP', T + 10 * M, T + 65 * M, 5)).toEqual(expected.filter((b) => b.ts >= T + 10 * M && b.ts <= T + 65 * M).slice(-5));
    expect(store.bars.closes('sim', 'BTC-PERP', 10)).toEqual([]);
    expect(store.bars.symbols('sim')).toEqual(['ETH-PERP', 'SOL-PERP']);
    // The market-time floor sees the latest minute, not the hour's start.
    expect((store.db.prepare('SELECT MAX(last_ts) AS t FROM bar_hours').get() as { t: number }).t).toBe(T + 149 * M);
    expect(T % H).toBe(0);
    store.close();
  });

  it('moves an older file\'s per-minute rows into hours when opened, and keeps a close stamped off the minute', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnbot-bars-'));
    const path = join(dir, 'old.db');
    const first = Store.open(path);
    const put = first.db.prepare('INSERT INTO bars (venue, symbol, ts, close) VALUES (?, ?, ?, ?)');
    for (let m = 0; m < 90; m++) put.run('sim', 'ETH-PERP', T + m * M, 3000 + m);
    first.close();

    const reopened = Store.open(path);
    reopened.bars.record('sim', 'ETH-PERP', T + 90 * M + 1_500, 4000);
    const all = reopened.bars.closes('sim', 'ETH-PERP', 1_000);
    expect(all.length).toBe(91);
    expect(all[0]).toEqual({ ts: T, close: 3000 });
    expect(all.at(-2)).toEqual({ ts: T + 89 * M, close: 3089 });
    expect(all.at(-1)).toEqual({ ts: T + 90 * M + 1_500, close: 4000 });
    expect((reopened.db.prepare('SELECT COUNT(*) AS n FROM bars').get() as { n: number }).n).toBe(1);
    reopened.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('OrderRepository.fillsOfPair', () => {
  it("gives each order's side, filled size, average price and fees in forPair's order, for that pair only", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            pair: fc.constantFrom('p1', 'p2'),
            side: fc.constantFrom<Order['side']>('buy', 'sell'),
            createdTs: fc.integer({ min: T, max: T + 5 }),
            filledSize: fc.double({ min: 0, max: 5, noNaN: true }),
            avgFillPrice: fc.option(fc.double({ min: 1, max: 5_000, noNaN: true }), { nil: null }),
            feesPaid: fc.double({ min: 0, max: 3, noNaN: true }),
          }),
          { maxLength: 12 },
        ),
        (rows) => {
          const store = Store.open(':memory:');
          try {
            store.bots.ensure('b1', 'dn-pair', 'v', T);
            rows.forEach((r, i) => store.orders.insert(order({ clientOrderId: `o${i}`, pairId: r.pair, side: r.side, createdTs: r.createdTs, filledSize: r.filledSize, avgFillPrice: r.avgFillPrice, feesPaid: r.feesPaid })));
            for (const pair of ['p1', 'p2']) {
              const full = store.orders.forPair(pair).map((o) => ({ side: o.side, filledSize: o.filledSize, avgFillPrice: o.avgFillPrice, feesPaid: o.feesPaid }));
              expect(store.orders.fillsOfPair(pair)).toEqual(full);
              expect(full.length).toBe(rows.filter((r) => r.pair === pair).length);
            }
          } finally {
            store.close();
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('statements prepared once', () => {
  it('a risk adjustment, an exit plan opened and closed, and a pair\'s orders read prepare no statement per call', () => {
    const store = Store.open(':memory:');
    try {
      store.bots.ensure('b1', 'dn-pair', 'v', T);
      const prepare = store.db.prepare.bind(store.db);
      let prepared = 0;
      store.db.prepare = ((sql: string) => {
        prepared++;
        return prepare(sql);
      }) as typeof store.db.prepare;
      store.riskAdjustments.record({ botId: 'b1', ts: T, previousMultiplier: 1, multiplier: 1.2, signalStrength: 0.5, confidence: 0.5, avgPnlLast50: null, tradesInWindow: 0, trigger: 'first', inputs: {} });
      store.exitPlans.create({
        pairId: 'p1', botId: 'b1', status: 'active', longSymbol: 'ETH-PERP', shortSymbol: 'BTC-PERP', longSize: 1, shortSize: 0.05, entryNotional: 2_000, leverage: 2,
        tp1: 0.01, tp2: 0.02, tp3: 0.03, sl: 0.02, harvestScheme: [0.3, 0.3, 0.4], schemeName: 'even', lsf: 1, adjustment: 1, mode: 'normal', fallback: false, inputs: {},
        levelsHit: 0, closedFraction: 0, createdTs: T, updatedTs: T,
      });
      store.exitPlans.close('p1', T + 1);
      expect(store.exitPlans.get('p1')?.status).toBe('closed');
      expect(store.orders.forPair('p1')).toEqual([]);
      expect(store.riskAdjustments.recent('b1', 1).map((a) => a.multiplier)).toEqual([1.2]);
      expect(prepared).toBe(1); // recent() alone, an operator's read
    } finally {
      store.close();
    }
  });
});

describe('RoundTripRepository.recentPnls inside a batch', () => {
  it('answers as SQLite does through saves, commits and rollbacks, and asks SQLite once per change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnbot-pnls-'));
    const store = Store.open(join(dir, 'd.db'));
    try {
      const stmt = (store.roundTrips as unknown as { recentStmt: { all: (...a: unknown[]) => unknown[] } }).recentStmt;
      const all = stmt.all.bind(stmt);
      let asked = 0;
      stmt.all = (...a: unknown[]) => {
        asked++;
        return all(...a);
      };
      const truth = (n: number): number[] =>
        (store.db.prepare(`SELECT realized_pnl AS p FROM round_trips WHERE bot_id = 'b1' AND status = 'closed' ORDER BY exit_ts DESC, id DESC LIMIT ?`).all(n) as { p: number }[]).map((r) => r.p).reverse();
      const close = (k: number): void => store.roundTrips.save(roundTrip({ id: `rt${k}`, status: 'closed', exitTs: T + k, realizedPnl: k - 3 }));
      store.batching.start(0);
      store.batching.begin();
      close(1);
      close(2);
      expect(store.roundTrips.recentPnls('b1', 5)).toEqual(truth(5));
      const before = asked;
      const got = store.roundTrips.recentPnls('b1', 5);
      got.push(99); // a caller's copy: the next answer is unchanged
      expect(store.roundTrips.recentPnls('b1', 5)).toEqual(truth(5));
      expect(asked).toBe(before); // from memory
      expect(store.roundTrips.recentPnls('b1', 1)).toEqual(truth(1)); // another count: asked
      close(3);
      expect(store.roundTrips.recentPnls('b1', 5)).toEqual(truth(5)); // a save: asked again
      // The batch's own commit changes nothing: still from memory.
      const committed = asked;
      store.commit();
      expect(store.roundTrips.recentPnls('b1', 5)).toEqual(truth(5));
      expect(asked).toBe(committed);
      expect(() =>
        store.transaction(() => {
          close(4);
          expect(store.roundTrips.recentPnls('b1', 5)).toEqual(truth(5));
          throw new Error('rolled back');
        }),
      ).toThrow('rolled back');
      expect(store.roundTrips.recentPnls('b1', 5)).toEqual(truth(5));
      expect(truth(5)).toEqual([-2, -1, 0]);
      store.batching.end(0);
      const outside = asked;
      store.roundTrips.recentPnls('b1', 5);
      store.roundTrips.recentPnls('b1', 5);
      expect(asked).toBe(outside + 2); // no batch: another process may have written
      // Another process closes a round trip between two batches: the next batch sees it.
      const other = new Database(join(dir, 'd.db'));
      other
        .prepare(`INSERT INTO round_trips (id, bot_id, status, long_symbol, short_symbol, target_notional, entry_ts, exit_ts, realized_pnl, signal, updated_ts) VALUES ('x', 'b1', 'closed', 'A', 'B', 1, ?, ?, 42, '{}', ?)`)
        .run(T, T + 100, T + 100);
      other.close();
      store.batching.begin();
      expect(store.roundTrips.recentPnls('b1', 5)).toEqual([-2, -1, 0, 42]);
      store.batching.end(0);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
