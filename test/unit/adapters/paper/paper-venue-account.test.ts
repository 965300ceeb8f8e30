import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { VenueRejectError } from '../../../../src/core/errors.js';
import { FUNDING_MS, T0, book, feed, harness, mark, positionSize, req, submit, trade } from './paper-fixtures.js';

describe('PaperVenue positions, PnL and fees', () => {
  it('books realised PnL and fees into collateral and flips through zero', async () => {
    const h = harness();
    feed(h, book(T0, [[99, 5]], [[100, 5]]));
    await submit(h, req({ side: 'buy', size: 1, price: 100, tif: 'IOC' }));
    expect(await h.venue.positions()).toEqual([{ symbol: 'ETH-PERP', size: 1, entryPrice: 100, realizedPnl: 0 }]);
    feed(h, book(T0 + 1000, [[110, 5]], [[111, 5]]));
    await submit(h, req({ side: 'sell', size: 3, price: 110, tif: 'IOC' }));
    const [pos] = await h.venue.positions();
    expect(pos).toMatchObject({ symbol: 'ETH-PERP', size: -2, entryPrice: 110 });
    expect(pos!.realizedPnl).toBeCloseTo(10, 10);
    const acct = await h.venue.account();
    expect(acct.collateral).toBeCloseTo(10_000 + 10 - 100 * 0.0005 - 330 * 0.0005, 10);
    expect(h.venue.stats().feesPaid).toBeCloseTo(0.215, 10);
    // Mid 110.5 is the mark before any mark event: short 2 from 110 is down 1.
    expect(acct.equity).toBeCloseTo(acct.collateral - 1, 10);
    expect(acct.initialMargin).toBeCloseTo(2 * 110.5 * 0.1, 10);
    expect(acct.maintenanceMargin).toBeCloseTo(2 * 110.5 * 0.05, 10);
  });

  it('averages the entry when adding and realises on partial reduction', async () => {
    const h = harness();
    feed(h, book(T0, [[99, 5]], [[100, 1], [102, 1]]));
    await submit(h, req({ side: 'buy', size: 2, price: 102, tif: 'IOC' }));
    expect((await h.venue.positions())[0]).toMatchObject({ size: 2, entryPrice: 101 });
    feed(h, book(T0 + 1000, [[105, 5]], [[106, 5]]));
    await submit(h, req({ side: 'sell', size: 0.5, type: 'market', tif: 'IOC' }));
    const [pos] = await h.venue.positions();
    expect(pos).toMatchObject({ size: 1.5, entryPrice: 101 });
    expect(pos!.realizedPnl).toBeCloseTo(2, 10);
  });

  it('restores collateral and positions after a restart', async () => {
    const h = harness({
      restore: { collateral: 5000, positions: [{ symbol: 'ETH-PERP', size: -2, entryPrice: 120, realizedPnl: 3 }] },
    });
    expect(await h.venue.positions()).toEqual([{ symbol: 'ETH-PERP', size: -2, entryPrice: 120, realizedPnl: 3 }]);
    expect((await h.venue.account()).collateral).toBe(5000);
    feed(h, book(T0, [[99, 5]], [[100, 5]]));
    await submit(h, req({ side: 'buy', size: 2, price: 100, tif: 'IOC', reduceOnly: true }));
    expect(await h.venue.positions()).toEqual([]);
    expect((await h.venue.account()).collateral).toBeCloseTo(5000 + 40 - 200 * 0.0005, 10);
    expect(h.venue.snapshot()).toEqual({ collateral: (await h.venue.account()).collateral, positions: [] });
  });

  it('reports the collateral the account reports, after fills, funding and with a position open', async () => {
    const h = harness({ config: { takerFeeRate: 0.0007 } });
    expect(h.venue.collateral()).toBe((await h.venue.account()).collateral);
    feed(h, book(T0, [[99, 5]], [[100, 5]]), mark(T0, 100));
    await submit(h, req({ side: 'buy', size: 2, price: 100, tif: 'IOC' }));
    feed(h, mark(T0 + FUNDING_MS + 1, 103, 0.001));
    const account = await h.venue.account();
    expect(h.venue.collateral()).toBe(account.collateral);
    expect(h.venue.collateral()).toBe(h.venue.snapshot().collateral);
    expect(account.equity).not.toBe(account.collateral);
  });

  it('rejects a restore naming an unknown symbol', () => {
    expect(() => harness({ restore: { collateral: 1, positions: [{ symbol: 'X', size: 1, entryPrice: 1, realizedPnl: 0 }] } })).toThrow(/unknown symbol/);
  });
});

describe('PaperVenue margin', () => {
  it('rejects an order whose initial margin with open orders would exceed equity', async () => {
    const h = harness({ config: { startingCollateral: 1000 } });
    feed(h, book(T0, [[99, 500]], [[101, 500]]), mark(T0, 100));
    await submit(h, req({ side: 'buy', size: 90, price: 99, tif: 'POST_ONLY' })); // IM 900
    const acct = await h.venue.account();
    expect(acct.initialMargin).toBe(0);
    expect(acct.freeCollateral).toBeCloseTo(100, 10);
    const err = await submit(h, req({ side: 'sell', size: 20, price: 101, tif: 'POST_ONLY' })).catch((e: unknown) => e);
    expect((err as VenueRejectError).details['reason']).toBe('insufficient_margin');
    await expect(submit(h, req({ side: 'sell', size: 10, price: 101, tif: 'POST_ONLY' }))).resolves.toMatchObject({ status: 'open' });
    expect((await h.venue.account()).freeCollateral).toBe(0);
  });
});

describe('PaperVenue funding', () => {
  it('charges longs and pays shorts size × mark × rate when a funding boundary is crossed', async () => {
    const long = harness();
    const short = harness();
    for (const h of [long, short]) feed(h, book(T0, [[99.9, 50]], [[100.1, 50]]), mark(T0 + 10, 100, 0.001));
    await submit(long, req({ side: 'buy', size: 2, price: 100.1, tif: 'IOC' }));
    await submit(short, req({ side: 'sell', size: 2, price: 99.9, tif: 'IOC' }));
    const before = [(await long.venue.account()).collateral, (await short.venue.account()).collateral];
    for (const h of [long, short]) feed(h, mark(T0 + FUNDING_MS - 1, 100, 0.001));
    expect(long.venue.fundingPaid()).toBe(0);
    for (const h of [long, short]) feed(h, trade(T0 + FUNDING_MS, 100, 0.01, 'buy'));
    expect(long.venue.fundingPaid()).toBeCloseTo(0.2, 12);
    expect(short.venue.fundingPaid()).toBeCloseTo(-0.2, 12);
    expect((await long.venue.account()).collateral).toBeCloseTo(before[0]! - 0.2, 10);
    expect((await short.venue.account()).collateral).toBeCloseTo(before[1]! + 0.2, 10);
    // Later events inside the same interval charge nothing more; skipping two boundaries charges twice.
    for (const h of [long, short]) feed(h, mark(T0 + FUNDING_MS + 5, 100, 0.001));
    expect(long.venue.fundingPaid()).toBeCloseTo(0.2, 12);
    for (const h of [long, short]) feed(h, mark(T0 + 3 * FUNDING_MS, 100, 0.001));
    expect(long.venue.fundingPaid()).toBeCloseTo(0.6, 12);
  });

  it('does not charge funding at the start of a run or without a position', () => {
    const h = harness();
    feed(h, mark(T0, 100, 0.01), mark(T0 + FUNDING_MS, 100, 0.01));
    expect(h.venue.fundingPaid()).toBe(0);
  });
});

describe('PaperVenue liquidation', () => {
  async function leveragedLong() {
    const h = harness({ config: { startingCollateral: 100 } });
    feed(h, book(T0, [[99.9, 50]], [[100, 50]]));
    await submit(h, req({ side: 'buy', size: 9, price: 100, tif: 'IOC' }));
    await submit(h, req({ clientOrderId: 'rest', side: 'buy', size: 0.02, price: 90, tif: 'POST_ONLY' }));
    return h;
  }

  it('stays open while equity covers maintenance margin', async () => {
    const h = await leveragedLong();
    feed(h, mark(T0 + 1000, 95));
    expect(positionSize(await h.venue.positions())).toBe(9);
    expect(h.venue.stats().liquidations).toBe(0);
  });

  it('closes positions at mark with the liquidation fee when equity < maintenance margin', async () => {
    const h = await leveragedLong();
    const nFills = h.fills.length;
    feed(h, mark(T0 + 1000, 93));
    expect(await h.venue.positions()).toEqual([]);
    expect(await h.venue.openOrders()).toEqual([]);
    expect(await h.venue.lookupOrder('rest', 'ETH-PERP')).toMatchObject({ status: 'canceled' });
    const liq = h.fills.slice(nFills);
    expect(liq).toEqual([expect.objectContaining({ clientOrderId: 'liq-1', side: 'sell', price: 93, size: 9, liquidity: 'taker' })]);
    expect(liq[0]!.fee).toBeCloseTo(9 * 93 * 0.005, 10);
    expect(h.updates.at(-1)).toMatchObject({ clientOrderId: 'liq-1', status: 'filled', filledSize: 9 });
    expect((await h.venue.account()).collateral).toBeCloseTo(100 - 900 * 0.0005 - 63 - 9 * 93 * 0.005, 10);
    expect(h.venue.stats().liquidations).toBe(1);
  });

  it('liquidates on a book before the first mark: the mark is the book mid until then', async () => {
    const h = await leveragedLong();
    feed(h, book(T0 + 1000, [[94.9, 50]], [[95, 50]]));
    expect(h.venue.stats().liquidations).toBe(0);
    feed(h, book(T0 + 2000, [[92.9, 50]], [[93, 50]]));
    expect(h.venue.stats().liquidations).toBe(1);
    expect(await h.venue.positions()).toEqual([]);
  });

  it('liquidates on the first print after funding leaves equity below maintenance, with no new mark', async () => {
    const h = await leveragedLong();
    // Equity 54.55 ≥ maintenance 42.75 at 95; the boundary then charges 9 × 95 × 2% = 17.1.
    feed(h, mark(T0 + 1000, 95, 0.02), trade(T0 + 2000, 95, 0.01, 'buy'));
    expect(h.venue.stats().liquidations).toBe(0);
    feed(h, trade(T0 + FUNDING_MS, 95, 0.01, 'buy'));
    expect(h.venue.fundingPaid()).toBeCloseTo(17.1, 10);
    expect(h.venue.stats().liquidations).toBe(1);
  });

  it('liquidates at the first mark that leaves equity below maintenance, however many marks came before (property)', async () => {
    // Marks walk both symbols by small and large steps while a long and a short are open; after
    // every event the account is never left open below maintenance (a skipped check would).
    const step = fc.record({ btc: fc.boolean(), move: fc.integer({ min: -300, max: 300 }), big: fc.boolean(), print: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 120 }), fc.integer({ min: 130, max: 400 }), async (steps, collateral) => {
        const h = harness({ config: { startingCollateral: collateral } });
        feed(h, book(T0, [[99.9, 50]], [[100, 50]]), book(T0, [[999, 50]], [[1_000, 50]], 'BTC-PERP'), mark(T0, 100), mark(T0, 1_000, 0, 'BTC-PERP'));
        await submit(h, req({ side: 'buy', size: 9, price: 100, tif: 'IOC' }));
        await submit(h, req({ symbol: 'BTC-PERP', side: 'sell', size: 0.3, price: 999, tif: 'IOC' }));
        const px = { 'ETH-PERP': 100, 'BTC-PERP': 1_000 };
        let ts = h.clock.now();
        for (const s of steps) {
          const symbol = s.btc ? 'BTC-PERP' : 'ETH-PERP';
          const tick = s.btc ? 1 : 0.1;
          px[symbol] = Math.max(10 * tick, Number((px[symbol] + s.move * (s.big ? 10 : 0.1) * tick).toFixed(1)));
          ts += 100;
          feed(h, s.print ? trade(ts, px[symbol], 0.01, 'buy', symbol) : mark(ts, px[symbol], 0, symbol));
          const acct = h.venue.accountNow();
          const open = (await h.venue.positions()).length > 0;
          expect(open && acct.equity < acct.maintenanceMargin).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('can take the account to zero and then refuses new risk', async () => {
    const h = await leveragedLong();
    feed(h, mark(T0 + 1000, 50));
    const acct = await h.venue.account();
    expect(acct.collateral).toBe(0);
    expect(acct.equity).toBe(0);
    expect(h.venue.stats().bankruptcyShortfall).toBeCloseTo(450 + 9 * 50 * 0.005 - 99.55, 8);
    feed(h, book(T0 + 2000, [[49.9, 50]], [[50, 50]]));
    const err = await submit(h, req({ side: 'buy', size: 0.1, price: 50, tif: 'IOC' })).catch((e: unknown) => e);
    expect((err as VenueRejectError).details['reason']).toBe('insufficient_margin');
  });

  it('is triggered by a trade or book that moves the mark when no mark event was seen', async () => {
    const h = await leveragedLong();
    feed(h, book(T0 + 1000, [[80, 50]], [[80.2, 50]]));
    expect(await h.venue.positions()).toEqual([]);
    expect(h.fills.at(-1)).toMatchObject({ clientOrderId: 'liq-1', price: 80.1 });
  });
});
