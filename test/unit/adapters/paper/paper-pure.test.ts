import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { FundingSchedule } from '../../../../adapters/paper/funding-schedule.js';
import { paperConfigSchema } from '../../../../adapters/paper/paper-config.js';
import { PaperAccount, type OrderExposure, type PriceOf } from '../../../../adapters/paper/paper-account.js';
import { fundingPayment } from '../../../../adapters/paper/account-arithmetic.js';
import { applyFillToPosition as applyToPosition } from '../../../../src/core/position-math.js';
import { ConsumedLiquidity, slicesVwap, walkDepth } from '../../../../adapters/paper/taker-fill.js';
import { ETH } from './paper-fixtures.js';

/** The paper account's view: signed size and entry in, the effect out. */
function apply(size: number, entry: number, side: 'buy' | 'sell', price: number, qty: number, lot: number): { size: number; entryPrice: number; realized: number } {
  const r = applyToPosition({ symbol: 'X', size, entryPrice: entry, realizedPnl: 0 }, side, qty, price, lot);
  return { size: r.position.size, entryPrice: r.position.entryPrice, realized: r.realizedPnl };
}

describe('paperConfigSchema', () => {
  it('has defaults for everything and rejects unknown keys', () => {
    expect(paperConfigSchema.parse({})).toEqual({
      startingCollateral: 10_000,
      latencyMs: 50,
      liquidationFeeRate: 0.005,
      restingFill: 'auto',
      queue: true,
      maxOpenOrders: 200,
    });
    expect(() => paperConfigSchema.parse({ latency: 5 })).toThrow();
    expect(() => paperConfigSchema.parse({ latencyMs: -1 })).toThrow();
    expect(paperConfigSchema.parse({ makerFeeRate: -0.0001 }).makerFeeRate).toBe(-0.0001);
  });
});

describe('applyFillToPosition', () => {
  const table: readonly [string, number, number, 'buy' | 'sell', number, number, { size: number; entryPrice: number; realized: number }][] = [
    ['open long', 0, 0, 'buy', 100, 1, { size: 1, entryPrice: 100, realized: 0 }],
    ['add long', 1, 100, 'buy', 110, 1, { size: 2, entryPrice: 105, realized: 0 }],
    ['reduce long', 2, 100, 'sell', 110, 0.5, { size: 1.5, entryPrice: 100, realized: 5 }],
    ['close long', 1, 100, 'sell', 90, 1, { size: 0, entryPrice: 0, realized: -10 }],
    ['flip long to short', 1, 100, 'sell', 110, 3, { size: -2, entryPrice: 110, realized: 10 }],
    ['reduce short at a profit', -2, 100, 'buy', 90, 1, { size: -1, entryPrice: 100, realized: 10 }],
    ['flip short to long', -1, 100, 'buy', 105, 1.5, { size: 0.5, entryPrice: 105, realized: -5 }],
  ];
  it.each(table)('%s', (_n, size, entry, side, price, qty, want) => {
    const got = apply(size, entry, side, price, qty, 0.01);
    expect(got.size).toBe(want.size);
    expect(got.entryPrice).toBeCloseTo(want.entryPrice, 10);
    expect(got.realized).toBeCloseTo(want.realized, 10);
  });

  it('leaves no float dust: 0.1 + 0.2 − 0.3 is flat', () => {
    const a = apply(0, 0, 'buy', 100, 0.1, 0.01);
    const b = apply(a.size, a.entryPrice, 'buy', 100, 0.2, 0.01);
    expect(apply(b.size, b.entryPrice, 'sell', 100, 0.3, 0.01).size).toBe(0);
  });

  it('funding: longs pay and shorts receive when the rate is positive', () => {
    expect(fundingPayment(2, 100, 0.001)).toBeCloseTo(0.2, 12);
    expect(fundingPayment(-2, 100, 0.001)).toBeCloseTo(-0.2, 12);
    expect(fundingPayment(2, 100, -0.001, 3)).toBeCloseTo(-0.6, 12);
  });

  it('total PnL of a round trip equals Σ signed fill cash flows (property)', () => {
    const fillArb = fc.record({
      side: fc.constantFrom('buy' as const, 'sell' as const),
      price: fc.integer({ min: 500, max: 1500 }).map((p) => p / 10),
      qty: fc.integer({ min: 1, max: 500 }).map((q) => q / 100),
    });
    fc.assert(
      fc.property(fc.array(fillArb, { maxLength: 30 }), fc.integer({ min: 500, max: 1500 }).map((p) => p / 10), (fills, mark) => {
        let size = 0;
        let entry = 0;
        let realized = 0;
        let cash = 0;
        for (const f of fills) {
          const e = apply(size, entry, f.side, f.price, f.qty, 0.01);
          size = e.size;
          entry = e.entryPrice;
          realized += e.realized;
          cash += (f.side === 'buy' ? -1 : 1) * f.price * f.qty;
        }
        expect(realized + size * (mark - entry)).toBeCloseTo(cash + size * mark, 6);
      }),
    );
  });
});

describe('walkDepth', () => {
  const asks = [
    { price: 100, size: 1 },
    { price: 101, size: 2 },
    { price: 102, size: 5 },
  ];
  const none = (): number => 0;

  it('takes level by level up to the limit', () => {
    const slices = walkDepth({ levels: asks, side: 'buy', size: 2.5, limit: 101, lotSize: 0.01, consumedAt: none });
    expect(slices).toEqual([{ price: 100, size: 1 }, { price: 101, size: 1.5 }]);
    expect(slicesVwap(slices)).toBeCloseTo((100 + 151.5) / 2.5, 10);
  });

  it('stops at the limit and leaves the rest', () => {
    expect(walkDepth({ levels: asks, side: 'buy', size: 10, limit: 101, lotSize: 0.01, consumedAt: none })).toEqual([
      { price: 100, size: 1 },
      { price: 101, size: 2 },
    ]);
    expect(walkDepth({ levels: asks, side: 'buy', size: 1, limit: 99.9, lotSize: 0.01, consumedAt: none })).toEqual([]);
  });

  it('walks bids for a sell, with no limit for a bare market order', () => {
    const bids = [{ price: 99, size: 1 }, { price: 98, size: 1 }];
    expect(walkDepth({ levels: bids, side: 'sell', size: 5, limit: undefined, lotSize: 0.01, consumedAt: none })).toEqual(bids);
  });

  it('skips what was already consumed and rounds slices down to the lot', () => {
    const consumed = new ConsumedLiquidity();
    consumed.add('ETH-PERP', 'asks', 100, 0.995);
    consumed.add('ETH-PERP', 'asks', 101, 0.5);
    const slices = walkDepth({
      levels: asks,
      side: 'buy',
      size: 3,
      limit: undefined,
      lotSize: 0.01,
      consumedAt: (p) => consumed.at('ETH-PERP', 'asks', p),
    });
    expect(slices).toEqual([{ price: 101, size: 1.5 }, { price: 102, size: 1.5 }]);
    consumed.clear('ETH-PERP');
    expect(consumed.at('ETH-PERP', 'asks', 100)).toBe(0);
  });
});

describe('FundingSchedule', () => {
  it('counts boundaries crossed, none on first sight or when time goes back', () => {
    const f = new FundingSchedule();
    expect(f.crossings('X', 100, 50)).toBe(0);
    expect(f.crossings('X', 100, 99)).toBe(0);
    expect(f.crossings('X', 100, 100)).toBe(1);
    expect(f.crossings('X', 100, 150)).toBe(0);
    expect(f.crossings('X', 100, 420)).toBe(3);
    expect(f.crossings('X', 100, 10)).toBe(0);
    expect(f.crossings('X', 100, 430)).toBe(0);
    expect(f.crossings('Y', 0, 430)).toBe(0);
  });

  it('names the earliest time a crossing can count: nothing is crossed before it, and one is at it', () => {
    const f = new FundingSchedule();
    expect(f.nextBoundary('X', 100)).toBe(Number.NEGATIVE_INFINITY);
    f.crossings('X', 100, 250);
    expect(f.nextBoundary('X', 100)).toBe(300);
    f.crossings('X', 100, 10); // time going back crosses nothing and moves nothing
    expect(f.nextBoundary('X', 100)).toBe(300);
    expect(f.crossings('X', 100, 299)).toBe(0);
    expect(f.crossings('X', 100, 300)).toBe(1);
    expect(f.nextBoundary('X', 100)).toBe(400);
    expect(f.nextBoundary('Y', 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('never counts a crossing before nextBoundary (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 40 }), (interval, times) => {
        const f = new FundingSchedule();
        for (const t of times) {
          const next = f.nextBoundary('X', interval);
          const n = f.crossings('X', interval, t);
          if (t < next && n !== 0) return false;
        }
        return true;
      }),
    );
  });
});

/** `state()` gives, bit for bit, what the account's separate methods give at that moment. */
function expectStateAsMethods(acct: PaperAccount, markOf: PriceOf, exposures: readonly OrderExposure[]): void {
  const got = acct.state(markOf, exposures);
  const equity = acct.equity(markOf);
  expect(Object.is(got.equity, equity)).toBe(true);
  expect(Object.is(got.collateral, acct.collateral)).toBe(true);
  expect(Object.is(got.freeCollateral, Math.max(0, equity - acct.initialMargin(markOf, exposures)))).toBe(true);
  expect(Object.is(got.initialMargin, acct.initialMargin(markOf))).toBe(true);
  expect(Object.is(got.maintenanceMargin, acct.maintenanceMargin(markOf))).toBe(true);
}

describe('PaperAccount', () => {
  it('computes equity, margins and liquidatability at mark', () => {
    const acct = new PaperAccount({ instruments: [ETH], collateral: 100 });
    acct.applyFill('ETH-PERP', 'buy', 100, 9, 0.45);
    const at = (m: number) => () => m;
    expect(acct.state(at(95))).toEqual({
      equity: expect.closeTo(54.55, 9) as number,
      collateral: expect.closeTo(99.55, 9) as number,
      freeCollateral: 0,
      initialMargin: expect.closeTo(85.5, 9) as number,
      maintenanceMargin: expect.closeTo(42.75, 9) as number,
    });
    expect(acct.isLiquidatable(at(95))).toBe(false);
    expect(acct.isLiquidatable(at(93))).toBe(true);
    expect(acct.isLiquidatable(() => undefined)).toBe(false);
  });

  it('calls an account liquidatable exactly when a position is open and equity < maintenance margin', () => {
    const SOL = { ...ETH, symbol: 'SOL-PERP', maintenanceMarginRatio: 0.05 };
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 500, noNaN: true }),
        fc.array(fc.record({ sol: fc.boolean(), buy: fc.boolean(), price: fc.integer({ min: 50, max: 150 }), lots: fc.integer({ min: 1, max: 20 }) }), { maxLength: 6 }),
        fc.option(fc.integer({ min: 40, max: 160 }), { nil: undefined }),
        fc.option(fc.integer({ min: 40, max: 160 }), { nil: undefined }),
        (collateral, fills, ethMark, solMark) => {
          const acct = new PaperAccount({ instruments: [ETH, SOL], collateral });
          for (const f of fills) acct.applyFill(f.sol ? 'SOL-PERP' : 'ETH-PERP', f.buy ? 'buy' : 'sell', f.price, f.lots * ETH.lotSize, 0.01);
          const markOf = (s: string): number | undefined => (s === 'ETH-PERP' ? ethMark : solMark);

          const expected = acct.positions().length > 0 && acct.equity(markOf) < acct.maintenanceMargin(markOf);
          expect(acct.isLiquidatable(markOf)).toBe(expected);
        },
      ),
    );
  });

  it('stays not liquidatable for every mark move within safeMarkDrift, even at the edge of liquidation (property)', () => {
    const SOL = { ...ETH, symbol: 'SOL-PERP', maintenanceMarginRatio: 0.07 };
    const symbols = ['ETH-PERP', 'SOL-PERP', 'XYZ-PERP'] as const;
    const price = fc.double({ min: 0.5, max: 5_000, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(fc.record({ s: fc.integer({ min: 0, max: 2 }), buy: fc.boolean(), price, lots: fc.integer({ min: 1, max: 3_000 }) }), { minLength: 1, maxLength: 6 }),
        fc.array(price, { minLength: 3, maxLength: 3 }),
        fc.array(fc.integer({ min: -1_000, max: 1_000 }).map((k) => k / 1_000), { minLength: 3, maxLength: 3 }),
        // Where collateral puts the account: around its liquidation edge (down to a few ulps), or well clear of it.
        fc.oneof(fc.integer({ min: -1_000, max: 1_000 }).map((k) => k * 1e-9), fc.integer({ min: 0, max: 1_000 }).map((k) => k / 2_000)),
        fc.integer({ min: 0, max: 2_000 }).map((k) => k / 1_000),
        (fills, m0, moves, edge, reach) => {
          const probe = new PaperAccount({ instruments: [ETH, SOL], collateral: 0 });
          for (const f of fills) probe.applyFill(symbols[f.s]!, f.buy ? 'buy' : 'sell', f.price, f.lots * ETH.lotSize, 0);
          const at = (marks: readonly number[]) => (s: string): number | undefined => marks[symbols.indexOf(s as (typeof symbols)[number])];
          const before = probe.state(at(m0));
          // Collateral that leaves equity − maintenance at `edge` of the notional.
          const collateral = before.maintenanceMargin - before.equity + edge * (before.maintenanceMargin + 1);
          const acct = new PaperAccount({ instruments: [ETH, SOL], collateral });
          for (const f of fills) acct.applyFill(symbols[f.s]!, f.buy ? 'buy' : 'sell', f.price, f.lots * ETH.lotSize, 0);

          const budget = acct.safeMarkDrift(at(m0));
          if (budget > 0) expect(acct.isLiquidatable(at(m0))).toBe(false);
          // Marks moved to spend up to `reach` times the budget, split over the symbols by `moves`.
          const norm = moves.reduce((n, m, i) => n + Math.abs(m) * acct.markWeight(symbols[i]!), 0);
          const scale = budget > 0 && norm > 0 && Number.isFinite(budget) ? (reach * budget) / norm : 0;
          const m1 = m0.map((m, i) => Math.max(1e-9, m + moves[i]! * scale));
          const drift = m1.reduce((d, m, i) => d + acct.markWeight(symbols[i]!) * Math.abs(m - m0[i]!), 0);
          if (drift < budget) expect(acct.isLiquidatable(at(m1))).toBe(false);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('keeps its positions in first-opened order: a closed one keeps its place, a symbol restored twice its first place with the last values', () => {
    // The account walks its positions by index in this order (its sums add in it); a second entry
    // for one symbol would value that position twice.
    const SOL = { ...ETH, symbol: 'SOL-PERP' };
    const XYZ = { ...ETH, symbol: 'XYZ-PERP' };
    const restored = [
      { symbol: 'SOL-PERP', size: 1, entryPrice: 100, realizedPnl: 0 },
      { symbol: 'ETH-PERP', size: 2, entryPrice: 50, realizedPnl: 0 },
      { symbol: 'SOL-PERP', size: -3, entryPrice: 90, realizedPnl: 1 },
    ];
    const acct = new PaperAccount({ instruments: [ETH, SOL, XYZ], collateral: 1_000, positions: restored });
    acct.applyFill('XYZ-PERP', 'buy', 10, 1, 0);
    acct.applyFill('ETH-PERP', 'sell', 50, 2, 0);
    acct.applyFill('ETH-PERP', 'sell', 60, 1, 0);

    expect(acct.positions().map((p) => [p.symbol, p.size])).toEqual([['SOL-PERP', -3], ['ETH-PERP', -1], ['XYZ-PERP', 1]]);
    expect(acct.unrealizedPnl(() => 100)).toBe(-3 * (100 - 90) + -1 * (100 - 60) + 1 * (100 - 10));
  });

  it('gives in state() the same doubles, to the last bit, as equity(), initialMargin() and maintenanceMargin() (property)', () => {
    // state() makes one pass over the positions for all three sums; the separate methods are the
    // reference. Covers restored positions, a symbol without an instrument, positions that close
    // (flat ones stay in the book), missing marks and orders without a mark or an instrument.
    const SOL = { ...ETH, symbol: 'SOL-PERP', initialMarginRatio: 0.2, maintenanceMarginRatio: 0.07 };
    const symbols = ['ETH-PERP', 'SOL-PERP', 'XYZ-PERP'] as const;
    const price = fc.double({ min: 1, max: 5_000, noNaN: true });
    fc.assert(
      fc.property(
        fc.double({ min: -500, max: 50_000, noNaN: true }),
        fc.option(fc.record({ size: fc.integer({ min: -300, max: 300 }), entry: price }), { nil: undefined }),
        fc.array(fc.record({ s: fc.integer({ min: 0, max: 2 }), buy: fc.boolean(), price, lots: fc.integer({ min: 1, max: 300 }) }), { maxLength: 10 }),
        fc.array(fc.option(price, { nil: undefined }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.record({ s: fc.integer({ min: 0, max: 2 }), size: fc.double({ min: 0.01, max: 50, noNaN: true }), price: fc.option(price, { nil: undefined }) }), { maxLength: 4 }),
        (collateral, restored, fills, marks, orders) => {
          const positions = restored === undefined ? [] : [{ symbol: 'SOL-PERP', size: restored.size / 100, entryPrice: restored.entry, realizedPnl: 0 }];
          const acct = new PaperAccount({ instruments: [ETH, SOL], collateral, positions });
          for (const f of fills) acct.applyFill(symbols[f.s]!, f.buy ? 'buy' : 'sell', f.price, f.lots * ETH.lotSize, 0.01);
          const markOf = (s: string): number | undefined => marks[symbols.indexOf(s as (typeof symbols)[number])];
          const exposures = orders.map((o) => ({ symbol: symbols[o.s]!, size: o.size, price: o.price }));

          expectStateAsMethods(acct, markOf, exposures);
          expect(acct.isLiquidatable(markOf)).toBe(acct.positions().length > 0 && acct.equity(markOf) < acct.maintenanceMargin(markOf));
        },
      ),
    );
  });

  it('reads in state(), between fills, funding and absorbed shortfalls, what the separate methods give at that moment (property)', () => {
    // A flat book without orders returns its last such state again until the collateral may have
    // moved: every read here must still be what equity(), initialMargin() and maintenanceMargin() say.
    const SOL = { ...ETH, symbol: 'SOL-PERP', maintenanceMarginRatio: 0.07 };
    const symbols = ['ETH-PERP', 'SOL-PERP'] as const;
    const price = fc.integer({ min: 50, max: 150 });
    const step = fc.oneof(
      fc.record({ kind: fc.constant('fill' as const), s: fc.integer({ min: 0, max: 1 }), buy: fc.boolean(), price, lots: fc.integer({ min: 1, max: 20 }), fee: fc.double({ min: -0.5, max: 0.5, noNaN: true }) }),
      fc.record({ kind: fc.constant('funding' as const), s: fc.integer({ min: 0, max: 1 }), mark: price, rate: fc.double({ min: -0.01, max: 0.01, noNaN: true }) }),
      fc.record({ kind: fc.constant('absorb' as const) }),
      fc.record({ kind: fc.constant('read' as const), marks: fc.tuple(price, price), order: fc.option(fc.double({ min: 0.01, max: 5, noNaN: true }), { nil: undefined }) }),
    );
    fc.assert(
      fc.property(fc.double({ min: -20, max: 500, noNaN: true }), fc.array(step, { maxLength: 30 }), (collateral, steps) => {
        const acct = new PaperAccount({ instruments: [ETH, SOL], collateral });
        for (const st of steps) {
          if (st.kind === 'fill') acct.applyFill(symbols[st.s]!, st.buy ? 'buy' : 'sell', st.price, st.lots * ETH.lotSize, st.fee);
          else if (st.kind === 'funding') acct.payFunding(symbols[st.s]!, st.mark, st.rate, 1);
          else if (st.kind === 'absorb') acct.absorbShortfall();
          else {
            const markOf = (s: string): number | undefined => st.marks[symbols.indexOf(s as (typeof symbols)[number])];
            const exposures = st.order === undefined ? [] : [{ symbol: 'ETH-PERP', size: st.order, price: undefined }];
            expectStateAsMethods(acct, markOf, exposures);
          }
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
