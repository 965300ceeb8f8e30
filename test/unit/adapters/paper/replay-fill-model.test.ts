import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { book, cancel, ETH, feed, harness, LATENCY, mark, req, submit, T0, trade, type Harness } from './paper-fixtures.js';

/** The candle replay's instruments: the trade-through rule applies. */
const REPLAY_ETH = { ...ETH, venue: 'replay' };

/** A post-only bid at 100.0 joining behind `queue` visible at that price (ETH tick 0.1). */
async function restingBid(h: Harness, queue: number, size = 1): Promise<void> {
  feed(h, book(T0, [[100, queue], [99.9, 5]], [[100.1, 5]]), mark(T0, 100.05));
  await submit(h, req({ side: 'buy', size, price: 100, tif: 'POST_ONLY', clientOrderId: 'bid' }));
}

const filled = (h: Harness, id = 'bid'): number => h.fills.filter((f) => f.clientOrderId === id).reduce((a, f) => a + f.size, 0);

describe('replay fills: queue ahead and volume through the price', () => {
  it('a resting fill never exceeds the volume traded at least a tick through its price beyond the queue ahead', () => {
    const printArb = fc.record({
      ticksBelow: fc.integer({ min: -3, max: 5 }), // price = 100 − ticks × 0.1; ≤ 0: at or above our bid
      size: fc.integer({ min: 1, max: 400 }).map((l) => l / 100),
      shrinkBook: fc.boolean(),
    });
    fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 500 }).map((l) => l / 100), fc.array(printArb, { maxLength: 25 }), async (queue, prints) => {
        const h = harness({ instruments: [REPLAY_ETH] });
        await restingBid(h, queue, 3);
        let through = 0;
        let ts = T0 + 1_000;
        for (const p of prints) {
          ts += 1_000;
          // A synthetic book showing nothing at our price says nothing about the queue.
          if (p.shrinkBook) feed(h, book(ts, [[99.5, 1]], [[100.6, 1]]));
          const price = Number((100 - p.ticksBelow * 0.1).toFixed(1));
          feed(h, trade(ts, price, p.size, 'sell'));
          if (p.ticksBelow >= 1) through += p.size;
          expect(filled(h)).toBeLessThanOrEqual(Math.max(0, through - queue) + 1e-9);
        }
        // And everything beyond the queue did fill (up to the order's size, on the lot grid).
        expect(filled(h)).toBeGreaterThanOrEqual(Math.min(3, Math.max(0, through - queue)) - prints.length * 0.01 - 1e-9);
      }),
      { numRuns: 60 },
    );
  });

  it('prints exactly at our price neither fill us nor move the queue', async () => {
    const h = harness({ instruments: [REPLAY_ETH] });
    await restingBid(h, 2);
    feed(h, trade(T0 + 1_000, 100, 50, 'sell'), trade(T0 + 2_000, 99.9, 1.5, 'sell'));
    expect(filled(h)).toBe(0); // 1.5 through, 2.0 still ahead
    feed(h, trade(T0 + 3_000, 99.9, 1, 'sell'));
    expect(filled(h)).toBeCloseTo(0.5, 9);
  });

  it('queue: false is the optimistic model: no queue, a print through the price fills the whole order', async () => {
    const h = harness({ instruments: [REPLAY_ETH], config: { queue: false } });
    await restingBid(h, 50, 2);
    feed(h, trade(T0 + 1_000, 99.9, 0.01, 'sell'));
    expect(filled(h)).toBeCloseTo(2, 9);
  });
});

describe('latency in market time', () => {
  it('nothing fills before its latency has elapsed, whatever the path step', () => {
    fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 5_000 }), fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 30 }), async (latencyMs, steps) => {
        const h = harness({ instruments: [REPLAY_ETH], config: { latencyMs } });
        feed(h, book(T0, [[100, 0]], [[100.1, 5]]), mark(T0, 100.05));
        const sentAt = h.clock.now();
        const p = h.venue.placeOrder(req({ side: 'buy', size: 1, price: 100, tif: 'GTC', clientOrderId: 'bid' }));
        p.catch(() => undefined);
        let ts = T0;
        for (const dt of steps) {
          ts += dt;
          feed(h, book(ts, [[99.9, 0]], [[100, 5]]), trade(ts, 99.5, 5, 'sell'));
        }
        for (const f of h.fills) expect(f.ts).toBeGreaterThanOrEqual(sentAt + latencyMs);
        expect(h.fills.length > 0).toBe(ts >= sentAt + latencyMs);
      }),
      { numRuns: 60 },
    );
  });

  it('a cancel that has not arrived yet can still be filled', async () => {
    const h = harness({ instruments: [REPLAY_ETH], config: { latencyMs: 2_000 } });
    feed(h, book(T0, [[100, 0]], [[100.1, 5]]), mark(T0, 100.05));
    const placed = h.venue.placeOrder(req({ side: 'buy', size: 1, price: 100, tif: 'POST_ONLY', clientOrderId: 'bid' }));
    h.clock.advanceTo(T0 + 2_000);
    await placed;
    const cancelled = h.venue.cancelOrder('bid', 'ETH-PERP');
    feed(h, trade(T0 + 3_000, 99.8, 5, 'sell')); // 1 s after the cancel was sent: still resting
    h.clock.advanceTo(T0 + 4_000);
    await cancelled;
    expect(filled(h)).toBeCloseTo(1, 9);
    expect(h.fills[0]!.ts).toBe(T0 + 3_000);
  });

  it('a cancel that has arrived stops later fills', async () => {
    const h = harness({ instruments: [REPLAY_ETH] });
    await restingBid(h, 0);
    await cancel(h, 'bid');
    feed(h, trade(T0 + 5_000, 99.5, 5, 'sell'));
    expect(h.fills).toHaveLength(0);
    expect(LATENCY).toBeGreaterThan(0);
  });
});
