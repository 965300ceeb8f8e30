import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Fill, MarketEvent, OrderRequest } from '../../../../src/core/types.js';
import { T0, book, feed, harness, mark, trade, type Harness } from './paper-fixtures.js';

type Step =
  | { readonly kind: 'event'; readonly ev: (ts: number) => MarketEvent }
  | { readonly kind: 'order'; readonly req: Omit<OrderRequest, 'clientOrderId' | 'symbol'> }
  | { readonly kind: 'cancel'; readonly index: number };

const ticks = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((t) => Number((t / 10).toFixed(1)));
const lots = fc.integer({ min: 1, max: 300 }).map((l) => Number((l / 100).toFixed(2)));

const bookStep: fc.Arbitrary<Step> = fc
  .tuple(ticks(950, 1000), fc.integer({ min: 1, max: 20 }), lots, lots)
  .map(([bid, spread, bidSize, askSize]) => ({
    kind: 'event' as const,
    ev: (ts: number) =>
      book(ts, [[bid, bidSize], [Number((bid - 0.1).toFixed(1)), bidSize]], [[Number((bid + spread / 10).toFixed(1)), askSize], [Number((bid + spread / 10 + 0.2).toFixed(1)), askSize]]),
  }));

const tradeStep: fc.Arbitrary<Step> = fc
  .tuple(ticks(940, 1010), lots, fc.constantFrom('buy' as const, 'sell' as const))
  .map(([price, size, aggressor]) => ({ kind: 'event' as const, ev: (ts: number) => trade(ts, price, size, aggressor) }));

const markStep: fc.Arbitrary<Step> = fc
  .tuple(ticks(940, 1010), fc.integer({ min: -10, max: 10 }))
  .map(([price, bps]) => ({ kind: 'event' as const, ev: (ts: number) => mark(ts, price, bps / 10_000) }));

const orderStep: fc.Arbitrary<Step> = fc
  .record({
    side: fc.constantFrom('buy' as const, 'sell' as const),
    type: fc.constantFrom('limit' as const, 'market' as const),
    tif: fc.constantFrom('GTC' as const, 'IOC' as const, 'POST_ONLY' as const),
    price: fc.option(ticks(940, 1010), { nil: undefined }),
    size: lots,
    reduceOnly: fc.boolean(),
  })
  .map(({ price, ...rest }) => ({ kind: 'order' as const, req: price === undefined ? rest : { ...rest, price } }));

const cancelStep: fc.Arbitrary<Step> = fc.nat({ max: 50 }).map((index) => ({ kind: 'cancel' as const, index }));

const script = fc.array(fc.oneof(bookStep, tradeStep, markStep, orderStep, orderStep, cancelStep), { minLength: 1, maxLength: 60 });

/** Runs a script against a fresh venue, interleaving market events and orders on the clock. */
async function run(steps: readonly Step[], collateral = 10_000): Promise<{ h: Harness; limits: Map<string, OrderRequest> }> {
  const h = harness({ config: { startingCollateral: collateral } });
  const limits = new Map<string, OrderRequest>();
  const acks: Promise<unknown>[] = [];
  let ts = T0;
  let n = 0;
  for (const step of steps) {
    // Mostly past the 50 ms latency, sometimes not (orders in flight), sometimes across funding.
    ts += n % 4 === 2 ? 30 : 100 + (n % 3) * 10_000_000;
    if (step.kind === 'event') {
      feed(h, step.ev(ts));
    } else if (step.kind === 'order') {
      const r: OrderRequest = { ...step.req, clientOrderId: `o${n}`, symbol: 'ETH-PERP' };
      limits.set(r.clientOrderId, r);
      h.clock.advanceTo(ts);
      acks.push(h.venue.placeOrder(r).catch(() => undefined));
    } else {
      h.clock.advanceTo(ts);
      acks.push(h.venue.cancelOrder(`o${step.index}`, 'ETH-PERP'));
    }
    n++;
  }
  h.clock.advanceTo(ts + 1_000);
  await Promise.all(acks);
  return { h, limits };
}

describe('PaperVenue invariants (property)', () => {
  it('position = signed sum of fills; makers fill at their price, takers within their limit; no overfill', async () => {
    await fc.assert(
      fc.asyncProperty(script, fc.constantFrom(10_000, 300), async (steps, collateral) => {
        const { h, limits } = await run(steps, collateral);
        const signed = h.fills.reduce((s, f) => s + (f.side === 'buy' ? f.size : -f.size), 0);
        const pos = (await h.venue.positions()).find((p) => p.symbol === 'ETH-PERP')?.size ?? 0;
        expect(pos).toBeCloseTo(signed, 9);
        const byOrder = new Map<string, number>();
        for (const f of h.fills) {
          expect(Number.isFinite(f.price) && Number.isFinite(f.fee) && f.size > 0).toBe(true);
          byOrder.set(f.clientOrderId, (byOrder.get(f.clientOrderId) ?? 0) + f.size);
          const r = limits.get(f.clientOrderId);
          if (r?.price === undefined) continue;
          // Makers fill exactly at their price (never better); takers never beyond their limit.
          if (f.liquidity === 'maker') expect(f.price).toBe(r.price);
          else if (f.side === 'buy') expect(f.price).toBeLessThanOrEqual(r.price);
          else expect(f.price).toBeGreaterThanOrEqual(r.price);
        }
        for (const [id, filled] of byOrder) {
          const r = limits.get(id);
          if (r !== undefined) expect(filled).toBeLessThanOrEqual(r.size + 1e-9);
        }
        const acct = await h.venue.account();
        for (const v of Object.values(acct)) expect(Number.isFinite(v)).toBe(true);
        expect(acct.freeCollateral).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same script twice gives identical fills, updates and account', async () => {
    await fc.assert(
      fc.asyncProperty(script, async (steps) => {
        const a = await run(steps);
        const b = await run(steps);
        expect(b.h.fills).toEqual(a.h.fills);
        expect(b.h.updates).toEqual(a.h.updates);
        expect(await b.h.venue.account()).toEqual(await a.h.venue.account());
        expect(b.h.venue.stats()).toEqual(a.h.venue.stats());
      }),
      { numRuns: 50 },
    );
  });

  it('replays a fixed script to the same fills', async () => {
    const steps: Step[] = [
      { kind: 'event', ev: (ts) => book(ts, [[99.9, 2]], [[100.1, 1], [100.2, 3]]) },
      { kind: 'order', req: { side: 'buy', type: 'limit', tif: 'IOC', size: 2, price: 100.2, reduceOnly: false } },
      { kind: 'order', req: { side: 'sell', type: 'limit', tif: 'POST_ONLY', size: 1, price: 100.3, reduceOnly: false } },
      { kind: 'event', ev: (ts) => trade(ts, 100.4, 2, 'buy') },
    ];
    const strip = (fs: readonly Fill[]) => fs.map((f) => ({ ...f }));
    const a = strip((await run(steps)).h.fills);
    const b = strip((await run(steps)).h.fills);
    expect(a).toHaveLength(3);
    expect(b).toEqual(a);
    expect(a.map((f) => f.tradeId)).toEqual(['paper-1', 'paper-2', 'paper-3']);
  });
});
