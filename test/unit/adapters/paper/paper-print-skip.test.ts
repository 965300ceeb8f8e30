import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Instrument, MarketEvent, OrderRequest } from '../../../../src/core/types.js';
import type { VenueRejectError } from '../../../../src/core/errors.js';
import { BTC, ETH, FUNDING_MS, T0, book, feed, harness, mark, req, submit, trade, type Harness } from './paper-fixtures.js';

/**
 * The engine skips a print once every instrument has a mark, no order rests and the account is as
 * the last liquidation test found it. The reference venue below never skips: it also lists an
 * instrument that never gets a mark. Both must give the same fills, updates, account and
 * positions after every step.
 */
const NEVER_MARKED: Instrument = { ...ETH, symbol: 'DOGE-PERP', baseAsset: 'DOGE' };

const SYMBOLS = ['ETH-PERP', 'BTC-PERP', 'XRP-PERP'] as const; // XRP-PERP: no instrument
type Sym = (typeof SYMBOLS)[number];
const SCALE: Record<Sym, number> = { 'ETH-PERP': 1, 'BTC-PERP': 10, 'XRP-PERP': 1 };

type Step =
  | { readonly kind: 'event'; readonly ev: (ts: number) => MarketEvent }
  | { readonly kind: 'order'; readonly symbol: 'ETH-PERP' | 'BTC-PERP'; readonly req: Omit<OrderRequest, 'clientOrderId' | 'symbol'> }
  | { readonly kind: 'cancel'; readonly index: number };

const sym = fc.constantFrom(...SYMBOLS);
const px = (s: Sym, t: number): number => Number(((t / 10) * SCALE[s]).toFixed(1));
const ticks = fc.integer({ min: 800, max: 1200 });

const bookStep: fc.Arbitrary<Step> = fc.tuple(sym, ticks, fc.integer({ min: 1, max: 20 })).map(([s, t, spread]) => ({
  kind: 'event' as const,
  ev: (ts: number) => book(ts, [[px(s, t), 5]], [[px(s, t + spread), 5]], s),
}));
const printStep: fc.Arbitrary<Step> = fc.tuple(sym, ticks, fc.constantFrom('buy' as const, 'sell' as const)).map(([s, t, aggressor]) => ({
  kind: 'event' as const,
  ev: (ts: number) => trade(ts, px(s, t), 0.5, aggressor, s),
}));
const markStep: fc.Arbitrary<Step> = fc.tuple(sym, ticks, fc.integer({ min: -20, max: 20 })).map(([s, t, bps]) => ({
  kind: 'event' as const,
  ev: (ts: number) => mark(ts, px(s, t), bps / 10_000, s),
}));
const orderStep: fc.Arbitrary<Step> = fc
  .record({
    symbol: fc.constantFrom('ETH-PERP' as const, 'BTC-PERP' as const),
    side: fc.constantFrom('buy' as const, 'sell' as const),
    tif: fc.constantFrom('GTC' as const, 'IOC' as const, 'POST_ONLY' as const),
    t: ticks,
    size: fc.integer({ min: 1, max: 40 }).map((l) => l / 10),
    reduceOnly: fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))),
  })
  .map(({ symbol, t, ...rest }) => ({ kind: 'order' as const, symbol, req: { ...rest, type: 'limit' as const, price: px(symbol, t) } }));
const cancelStep: fc.Arbitrary<Step> = fc.nat({ max: 40 }).map((index) => ({ kind: 'cancel' as const, index }));

const script = fc.array(fc.oneof(printStep, printStep, bookStep, markStep, markStep, orderStep, orderStep, cancelStep), { minLength: 10, maxLength: 80, size: 'max' });

function state(h: Harness): string {
  return JSON.stringify({ events: h.events, fills: h.fills, updates: h.updates, account: h.venue.accountNow(), stats: h.venue.stats() });
}

/**
 * Plays `steps` on two venues side by side, each event through `onEvent`, and holds their fills,
 * updates, account and positions equal after every step and once every order has settled. A
 * step's time is mostly past the 50 ms latency, sometimes not (orders in flight), sometimes
 * across funding.
 */
async function playSideBySide(steps: readonly Step[], a: Harness, b: Harness, onEvent: (h: Harness, ev: MarketEvent) => void): Promise<void> {
  const acks: Promise<unknown>[] = [];
  let ts = T0;
  let n = 0;
  for (const step of steps) {
    ts += n % 5 === 3 ? 20 : n % 7 === 6 ? FUNDING_MS / 2 : 100;
    for (const h of [a, b]) {
      h.clock.advanceTo(ts);
      if (step.kind === 'event') onEvent(h, step.ev(ts));
      else if (step.kind === 'order') acks.push(h.venue.placeOrder({ ...step.req, clientOrderId: `o${n}`, symbol: step.symbol }).catch(() => undefined));
      else acks.push(h.venue.cancelOrder(`o${step.index}`, 'ETH-PERP'));
    }
    expect(state(a)).toBe(state(b));
    n++;
  }
  for (const h of [a, b]) h.clock.advanceTo(ts + 1_000);
  await Promise.all(acks);
  expect(state(a)).toBe(state(b));
  expect(await a.venue.positions()).toEqual(await b.venue.positions());
}

describe('PaperMatchingEngine print skip', () => {
  it('gives the same fills, updates and account as an engine that never skips a print (property)', async () => {
    await fc.assert(
      fc.asyncProperty(script, fc.integer({ min: 100, max: 2_000 }), async (steps, collateral) => {
        const config = { startingCollateral: collateral };
        const skipping = harness({ config });
        const reference = harness({ config, instruments: [ETH, BTC, NEVER_MARKED] });
        await playSideBySide(steps, skipping, reference, feed);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same fills, updates and account when the prints it says it ignores are not fed at all (property)', async () => {
    let passed = 0;
    await fc.assert(
      fc.asyncProperty(script, fc.integer({ min: 100, max: 2_000 }), async (steps, collateral) => {
        const config = { startingCollateral: collateral };
        const fed = harness({ config });
        const passing = harness({ config });
        await playSideBySide(steps, passing, fed, (h, ev) => {
          // What the runtime does: the clock still moves, the venue is not called.
          if (h === passing && ev.kind === 'trade' && h.venue.ignoresPrint(ev)) passed++;
          else h.venue.onMarketEvent(ev);
        });
      }),
      { numRuns: 300 },
    );
    expect(passed).toBeGreaterThan(100);
  });

  it('does not skip the print at which funding leaves the account below maintenance, every instrument marked', async () => {
    const h = harness({ config: { startingCollateral: 100 } });
    feed(h, book(T0, [[99.9, 50]], [[100, 50]]), mark(T0, 100, 0.02), mark(T0, 1_000, 0, 'BTC-PERP'));
    await submit(h, req({ side: 'buy', size: 9, price: 100, tif: 'IOC' }));
    // Equity 54.55 ≥ maintenance 42.75 at 95; the boundary then charges 9 × 95 × 2% = 17.1.
    feed(h, mark(T0 + 1_000, 95, 0.02), trade(T0 + 2_000, 95, 0.01, 'buy'));
    expect(h.venue.stats().liquidations).toBe(0);
    feed(h, trade(T0 + FUNDING_MS, 95, 0.01, 'buy', 'BTC-PERP'));
    expect(h.venue.stats().liquidations).toBe(1);
  });

  it('keeps a print of an instrument without a mark: it prices an order until a book or mark does', async () => {
    const h = harness({ config: { startingCollateral: 100 } });
    feed(h, mark(T0, 100), trade(T0 + 100, 1_000, 0.1, 'buy', 'BTC-PERP'));
    // Margin of 2 BTC at the print's 1,000: 200 > equity 100 (at the order's own 10 it would fit).
    const err = await submit(h, req({ symbol: 'BTC-PERP', side: 'buy', size: 2, price: 10 })).catch((e: unknown) => e);
    expect((err as VenueRejectError).details['reason']).toBe('insufficient_margin');
  });
});
