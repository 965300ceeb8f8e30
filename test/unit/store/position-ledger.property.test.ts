import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fill, Order, Side } from '../../../src/core/types.js';
import { bookFill } from '../../../src/execution/fill-ledger.js';
import { Store } from '../../../src/store/store.js';

const BOT = 'b1';
const VENUE = 'v';
const T = Date.UTC(2024, 4, 1, 22, 0, 0);
const SYMBOLS = ['ETH-PERP', 'BTC-PERP'] as const;

/** Sizes in quarters and prices in halves: sums of sizes are exact in binary floating point. */
const part = fc.record({
  size: fc.integer({ min: 1, max: 20 }).map((q) => q / 4),
  price: fc.integer({ min: 100, max: 300 }).map((h) => h / 2),
  fee: fc.integer({ min: -5, max: 20 }).map((c) => c / 100),
});
const orderSpec = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  side: fc.constantFrom<Side>('buy', 'sell'),
  parts: fc.array(part, { minLength: 1, maxLength: 3 }),
  hoursLater: fc.integer({ min: 0, max: 5 }),
  redeliver: fc.boolean(),
});

/** Reference model for average-cost accounting, written independently of position-math. */
class ReferenceBook {
  size = 0;
  /** Signed cost of the open position: size × average entry. */
  cost = 0;
  realized = 0;

  apply(side: Side, size: number, price: number): void {
    const signed = side === 'buy' ? size : -size;
    if (this.size === 0 || Math.sign(this.size) === Math.sign(signed)) {
      this.size += signed;
      this.cost += signed * price;
      return;
    }
    const avg = this.cost / this.size;
    const closing = Math.min(Math.abs(this.size), size);
    const dir = Math.sign(this.size);
    this.realized += closing * (price - avg) * dir;
    const remainingOld = Math.abs(this.size) - closing;
    const opened = size - closing;
    if (remainingOld > 0) {
      this.size = dir * remainingOld;
      this.cost = this.size * avg;
    } else {
      this.size = -dir * opened;
      this.cost = this.size * price;
    }
  }

  entry(): number {
    return this.size === 0 ? 0 : this.cost / this.size;
  }
}

function orderRow(id: string, symbol: string, side: Side, size: number, ts: number): Order {
  return {
    clientOrderId: id,
    botId: BOT,
    venue: VENUE,
    symbol,
    side,
    type: 'market',
    tif: 'IOC',
    size,
    reduceOnly: false,
    purpose: 'entry',
    pairId: null,
    status: 'open',
    venueOrderId: 'V',
    filledSize: 0,
    avgFillPrice: null,
    feesPaid: 0,
    rejectReason: null,
    sizingTrace: [],
    createdTs: ts,
    updatedTs: ts,
  };
}

describe('bookFill position ledger (property)', () => {
  it('equals the signed sum of fills; PnL, VWAP, fees and volume match independent computations; duplicates change nothing', () => {
    fc.assert(
      fc.property(fc.array(orderSpec, { minLength: 1, maxLength: 30 }), (specs) => {
        const store = Store.open(':memory:');
        const refs = new Map(SYMBOLS.map((s) => [s, new ReferenceBook()]));
        const cash = new Map<string, number>(SYMBOLS.map((s) => [s, 0]));
        let notional = 0;
        let fees = 0;
        let fillCount = 0;
        let trade = 0;

        specs.forEach((spec, i) => {
          const id = `o${i}`;
          const ts = T + spec.hoursLater * 3_600_000 + i;
          const total = spec.parts.reduce((a, p) => a + p.size, 0);
          store.orders.insert(orderRow(id, spec.symbol, spec.side, total, ts));
          for (const p of spec.parts) {
            const fill: Fill = { tradeId: `t${trade++}`, clientOrderId: id, venueOrderId: 'V', symbol: spec.symbol, side: spec.side, price: p.price, size: p.size, fee: p.fee, liquidity: 'taker', ts };
            expect(bookFill(store, VENUE, store.orders.get(id)!, fill)).not.toBeNull();
            if (spec.redeliver) expect(bookFill(store, VENUE, store.orders.get(id)!, fill)).toBeNull();
            refs.get(spec.symbol)!.apply(spec.side, p.size, p.price);
            const signed = spec.side === 'buy' ? p.size : -p.size;
            cash.set(spec.symbol, cash.get(spec.symbol)! - signed * p.price);
            notional += p.price * p.size;
            fees += p.fee;
            fillCount++;
          }
          const row = store.orders.get(id)!;
          expect(row.status).toBe('filled');
          expect(row.filledSize).toBe(total);
          expect(row.avgFillPrice!).toBeCloseTo(spec.parts.reduce((a, p) => a + p.price * p.size, 0) / total, 9);
          expect(row.feesPaid).toBeCloseTo(spec.parts.reduce((a, p) => a + p.fee, 0), 9);
        });

        let realizedTotal = 0;
        for (const symbol of SYMBOLS) {
          const ref = refs.get(symbol)!;
          const pos = store.positions.get(BOT, VENUE, symbol) ?? { symbol, size: 0, entryPrice: 0, realizedPnl: 0 };
          const signedSum = specs
            .filter((s) => s.symbol === symbol)
            .reduce((a, s) => a + (s.side === 'buy' ? 1 : -1) * s.parts.reduce((b, p) => b + p.size, 0), 0);
          expect(pos.size).toBe(signedSum);
          expect(pos.entryPrice).toBeCloseTo(ref.entry(), 6);
          expect(pos.realizedPnl).toBeCloseTo(ref.realized, 6);
          // Accounting identity, whatever the method: realised = cash flow + cost of what is still open.
          expect(pos.realizedPnl).toBeCloseTo(cash.get(symbol)! + pos.size * pos.entryPrice, 6);
          realizedTotal += pos.realizedPnl;
        }

        const days = store.dailyVolume.history(BOT);
        expect(days.reduce((a, d) => a + d.fills, 0)).toBe(fillCount);
        expect(days.reduce((a, d) => a + d.volumeUsd, 0)).toBeCloseTo(notional, 6);
        expect(days.reduce((a, d) => a + d.feesUsd, 0)).toBeCloseTo(fees, 6);
        expect(days.reduce((a, d) => a + d.realizedPnl, 0)).toBeCloseTo(realizedTotal, 6);
        expect(store.fills.all(VENUE)).toHaveLength(fillCount);
        store.close();
      }),
      { numRuns: 150 },
    );
  });
});
