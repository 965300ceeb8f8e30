import { describe, expect, it } from 'vitest';
import { book, ETH, feed, harness, mark, req, submit, T0, trade, type Harness } from './paper-fixtures.js';

const REPLAY_ETH = { ...ETH, venue: 'replay' };

/** A post-only bid at 100.0 resting behind 2.0 visible at that price (ETH tick 0.1). */
async function restingBid(h: Harness): Promise<void> {
  feed(h, book(T0, [[100, 2], [99.9, 5]], [[100.1, 5]]), mark(T0, 100.05));
  await submit(h, req({ side: 'buy', size: 1, price: 100, tif: 'POST_ONLY', clientOrderId: 'bid' }));
}

describe('resting fills on coarse prints (restingFill: through)', () => {
  it('a print at our price never fills us, however large', async () => {
    const h = harness({ config: { restingFill: 'through' } });
    await restingBid(h);
    feed(h, trade(T0 + 100, 100, 50, 'sell'));
    expect(h.fills).toHaveLength(0);
  });

  it('a print less than a tick through does not fill; one tick through fills at our own price, queue first', async () => {
    const h = harness({ config: { restingFill: 'through' } });
    await restingBid(h);
    feed(h, trade(T0 + 100, 99.95, 50, 'sell')); // half a tick through
    expect(h.fills).toHaveLength(0);
    await submit(h, req({ side: 'buy', size: 1, price: 99.9, tif: 'POST_ONLY', clientOrderId: 'deep' })); // behind 5.0
    feed(h, trade(T0 + 300, 99.8, 5.5, 'sell')); // a tick through 99.9, two through 100.0
    // bid@100: the half-tick print left its queue (2.0) alone; 5.5 two ticks through serves it, then us: fills 1 at 100 (never better).
    const bid = h.fills.filter((f) => f.clientOrderId === 'bid');
    expect(bid.reduce((a, f) => a + f.size, 0)).toBeCloseTo(1, 9);
    expect(bid.every((f) => f.price === 100 && f.liquidity === 'maker')).toBe(true);
    // deep@99.9: 5.0 ahead of it; the print's 5.5 serves the queue first, leaving 0.5 (and bid took 1 of the budget).
    const deep = h.fills.filter((f) => f.clientOrderId === 'deep');
    expect(deep.reduce((a, f) => a + f.size, 0)).toBeCloseTo(0.5, 9);
    expect(deep.every((f) => f.price === 99.9)).toBe(true);
  });

  it('the queue model alone (restingFill: queue) fills at our price once the queue is consumed', async () => {
    const h = harness({ config: { restingFill: 'queue' } });
    await restingBid(h);
    feed(h, trade(T0 + 100, 100, 2.5, 'sell'));
    expect(h.fills.reduce((a, f) => a + f.size, 0)).toBeCloseTo(0.5, 9);
  });

  it('auto applies the through rule to candle-replay instruments only', async () => {
    const replay = harness({ instruments: [REPLAY_ETH] });
    await restingBid(replay);
    feed(replay, trade(T0 + 100, 100, 50, 'sell'));
    expect(replay.fills).toHaveLength(0);
    const live = harness();
    await restingBid(live);
    feed(live, trade(T0 + 100, 100, 50, 'sell'));
    expect(live.fills.reduce((a, f) => a + f.size, 0)).toBeCloseTo(1, 9);
  });
});
