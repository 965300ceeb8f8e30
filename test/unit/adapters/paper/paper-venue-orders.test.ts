import { describe, it, expect } from 'vitest';
import { ErrorCodes, VenueRejectError } from '../../../../src/core/errors.js';
import type { OrderRequest } from '../../../../src/core/types.js';
import { ETH, LATENCY, T0, book, cancel, feed, harness, mark, positionSize, req, submit, trade } from './paper-fixtures.js';

const BOOK = book(T0, [[100, 5], [99.9, 10]], [[100.1, 1], [100.2, 2], [100.3, 5]]);

describe('PaperVenue order validation at arrival', () => {
  const cases: readonly [string, Partial<OrderRequest> & Pick<OrderRequest, 'side' | 'size'>, string][] = [
    ['unknown symbol', { side: 'buy', size: 1, price: 100, symbol: 'DOGE-PERP' }, 'unknown_symbol'],
    ['zero size', { side: 'buy', size: 0, price: 100 }, 'invalid_size'],
    ['NaN size', { side: 'buy', size: Number.NaN, price: 100 }, 'invalid_size'],
    ['size off the lot grid', { side: 'buy', size: 0.015, price: 100 }, 'size_not_on_lot_grid'],
    ['limit without price', { side: 'buy', size: 1 }, 'price_missing'],
    ['negative price', { side: 'buy', size: 1, price: -5 }, 'invalid_price'],
    ['price off the tick grid', { side: 'buy', size: 1, price: 100.05 }, 'price_not_on_tick_grid'],
    ['notional below minimum', { side: 'buy', size: 0.01, price: 50 }, 'notional_below_minimum'],
    ['post-only market', { side: 'buy', size: 1, type: 'market', tif: 'POST_ONLY' }, 'post_only_market'],
  ];

  it.each(cases)('rejects %s', async (_name, partial, reason) => {
    const h = harness();
    feed(h, BOOK);
    const r = req(partial);
    const err = await submit(h, r).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueRejectError);
    expect((err as VenueRejectError).code).toBe(ErrorCodes.VENUE_REJECTED);
    expect((err as VenueRejectError).details['reason']).toBe(reason);
    // The venue's answer, not a fault: no stack trace captured per reject; later errors keep theirs.
    expect((err as VenueRejectError).stack).toBe(`VenueRejectError: ${(err as VenueRejectError).message}`);
    expect(new Error('x').stack).toMatch(/\n\s+at /);
    expect(h.updates).toEqual([expect.objectContaining({ clientOrderId: r.clientOrderId, status: 'rejected', rejectReason: reason })]);
    expect(h.fills).toEqual([]);
  });

  it('rejects a duplicate client order id without touching the original order', async () => {
    const h = harness();
    feed(h, BOOK);
    await submit(h, req({ clientOrderId: 'dup', side: 'buy', size: 1, price: 99, tif: 'POST_ONLY' }));
    const err = await submit(h, req({ clientOrderId: 'dup', side: 'buy', size: 2, price: 98, tif: 'POST_ONLY' })).catch((e: unknown) => e);
    expect((err as VenueRejectError).details['reason']).toBe('duplicate_client_order_id');
    expect(await h.venue.lookupOrder('dup', 'ETH-PERP')).toMatchObject({ status: 'open' });
    expect(h.updates.map((u) => u.status)).toEqual(['open']);
  });

  it('acks only after the latency, and lookupOrder is null for never-seen orders', async () => {
    const h = harness();
    feed(h, BOOK);
    let acked = false;
    const p = h.venue.placeOrder(req({ clientOrderId: 'a', side: 'buy', size: 1, price: 99, tif: 'POST_ONLY' }));
    void p.then(() => (acked = true));
    h.clock.advanceTo(T0 + LATENCY - 1);
    await Promise.resolve();
    expect(acked).toBe(false);
    expect(await h.venue.lookupOrder('a', 'ETH-PERP')).toBeNull();
    h.clock.advanceTo(T0 + LATENCY);
    const ack = await p;
    expect(ack).toMatchObject({ clientOrderId: 'a', venueOrderId: 'P1', status: 'open', filledSize: 0, ts: T0 + LATENCY });
    expect(await h.venue.lookupOrder('a', 'BTC-PERP')).toBeNull();
  });
});

describe('PaperVenue post-only and the queue model', () => {
  it('rejects a post-only order that would cross, and rests one that would not', async () => {
    const h = harness();
    feed(h, BOOK);
    const crossing = await submit(h, req({ side: 'buy', size: 1, price: 100.1, tif: 'POST_ONLY' })).catch((e: unknown) => e);
    expect((crossing as VenueRejectError).details['reason']).toBe('post_only_would_cross');
    const sellCross = await submit(h, req({ side: 'sell', size: 1, price: 100, tif: 'POST_ONLY' })).catch((e: unknown) => e);
    expect((sellCross as VenueRejectError).details['reason']).toBe('post_only_would_cross');
    const ok = await submit(h, req({ side: 'sell', size: 1, price: 100.2, tif: 'POST_ONLY' }));
    expect(ok.status).toBe('open');
    expect(await h.venue.openOrders()).toHaveLength(1);
  });

  it('consumes the queue ahead before filling us, at our price', async () => {
    const h = harness();
    feed(h, BOOK);
    await submit(h, req({ clientOrderId: 'q', side: 'buy', size: 2, price: 100, tif: 'POST_ONLY' }));
    feed(h, trade(T0 + 100, 100, 3, 'sell'));
    expect(h.fills).toEqual([]); // 5 ahead → 2 ahead
    feed(h, trade(T0 + 200, 100, 3, 'sell'));
    expect(h.fills).toHaveLength(1); // 2 ahead consumed, 1 excess fills us
    expect(h.fills[0]).toMatchObject({ clientOrderId: 'q', price: 100, size: 1, liquidity: 'maker', ts: T0 + 200 });
    expect(h.fills[0]!.fee).toBeCloseTo(100 * 1 * 0.0002, 12);
    expect(await h.venue.lookupOrder('q', 'ETH-PERP')).toMatchObject({ status: 'partially_filled', filledSize: 1 });
    feed(h, trade(T0 + 300, 100, 5, 'sell'));
    expect(h.fills.map((f) => f.size)).toEqual([1, 1]);
    expect(await h.venue.lookupOrder('q', 'ETH-PERP')).toMatchObject({ status: 'filled', filledSize: 2 });
    expect(positionSize(await h.venue.positions())).toBeCloseTo(2, 12);
  });

  it('ignores trades whose aggressor is on our side', async () => {
    const h = harness();
    feed(h, BOOK);
    await submit(h, req({ side: 'buy', size: 1, price: 100, tif: 'POST_ONLY' }));
    feed(h, trade(T0 + 100, 99, 50, 'buy'));
    expect(h.fills).toEqual([]);
  });

  it('shrinks the queue ahead when a new book shows less size at our price', async () => {
    const h = harness();
    feed(h, BOOK);
    await submit(h, req({ side: 'buy', size: 2, price: 100, tif: 'POST_ONLY' }));
    feed(h, book(T0 + 100, [[100, 1]], [[100.1, 1]]));
    feed(h, book(T0 + 150, [[100, 4]], [[100.1, 1]])); // size added behind us does not grow the queue
    feed(h, trade(T0 + 200, 100, 1.5, 'sell'));
    expect(h.fills.map((f) => f.size)).toEqual([0.5]);
  });

  it('fills a trade strictly through our price at our price, not the trade price', async () => {
    const h = harness();
    feed(h, BOOK);
    await submit(h, req({ clientOrderId: 'tt', side: 'buy', size: 1, price: 100, tif: 'POST_ONLY' }));
    feed(h, trade(T0 + 100, 99.5, 0.4, 'sell'));
    expect(h.fills).toEqual([expect.objectContaining({ clientOrderId: 'tt', side: 'buy', price: 100, size: 0.4, liquidity: 'maker' })]);
    await submit(h, req({ clientOrderId: 'ts', side: 'sell', size: 1, price: 100.5, tif: 'POST_ONLY' }));
    feed(h, trade(T0 + 300, 101, 3, 'buy'));
    expect(h.fills[1]).toMatchObject({ clientOrderId: 'ts', side: 'sell', price: 100.5, size: 1 });
  });

  it('queues at zero when improving on the touch, behind the visible size when joining it', async () => {
    const h = harness();
    feed(h, book(T0, [[99.5, 5]], [[100.5, 2]]));
    await submit(h, req({ clientOrderId: 'join', side: 'buy', size: 1, price: 99.5, tif: 'POST_ONLY' }));
    await submit(h, req({ clientOrderId: 'imp', side: 'buy', size: 1, price: 100, tif: 'POST_ONLY' }));
    await submit(h, req({ clientOrderId: 'ask', side: 'sell', size: 1, price: 100.5, tif: 'GTC' }));
    feed(h, trade(T0 + 300, 100, 0.3, 'sell'));
    expect(h.fills.map((f) => [f.clientOrderId, f.size])).toEqual([['imp', 0.3]]);
    feed(h, trade(T0 + 400, 99.5, 3, 'sell'), trade(T0 + 500, 100.5, 2.5, 'buy'));
    // 'imp' took 0.7 of the first trade through it; 'join' still has 2 of 5 ahead; 'ask' gets 0.5 past 2 ahead.
    expect(h.fills.map((f) => [f.clientOrderId, f.size])).toEqual([['imp', 0.3], ['imp', 0.7], ['ask', 0.5]]);
  });

  it('never lets one trade fill more than its size across our orders', async () => {
    const h = harness();
    feed(h, book(T0, [[99, 1]], [[101, 1]]));
    await submit(h, req({ clientOrderId: 'b1', side: 'buy', size: 1, price: 100.5, tif: 'POST_ONLY' }));
    await submit(h, req({ clientOrderId: 'b2', side: 'buy', size: 1, price: 100.4, tif: 'POST_ONLY' }));
    feed(h, trade(T0 + 200, 100, 1.5, 'sell'));
    expect(h.fills.map((f) => [f.clientOrderId, f.price, f.size])).toEqual([
      ['b1', 100.5, 1],
      ['b2', 100.4, 0.5],
    ]);
  });
});

describe('PaperVenue taker orders', () => {
  it('walks the depth for an IOC with per-level fills, VWAP and taker fee', async () => {
    const h = harness();
    feed(h, BOOK);
    const ack = await submit(h, req({ clientOrderId: 'i', side: 'buy', size: 2.5, price: 100.2, tif: 'IOC' }));
    expect(ack).toMatchObject({ status: 'filled', filledSize: 2.5 });
    expect(h.fills.map((f) => [f.price, f.size, f.liquidity])).toEqual([
      [100.1, 1, 'taker'],
      [100.2, 1.5, 'taker'],
    ]);
    const notional = h.fills.reduce((s, f) => s + f.price * f.size, 0);
    expect(notional / 2.5).toBeCloseTo((100.1 + 100.2 * 1.5) / 2.5, 10);
    expect(h.fills.reduce((s, f) => s + f.fee, 0)).toBeCloseTo(notional * 0.0005, 10);
    expect(h.fills.map((f) => f.tradeId)).toEqual(['paper-1', 'paper-2']);
    expect(h.events).toEqual(['fill:i', 'update:i:partially_filled', 'fill:i', 'update:i:filled']);
  });

  it('cancels the remainder of a partially filled IOC and expires an unfilled one', async () => {
    const h = harness();
    feed(h, BOOK);
    const partial = await submit(h, req({ clientOrderId: 'p', side: 'buy', size: 4, price: 100.2, tif: 'IOC' }));
    expect(partial).toMatchObject({ status: 'canceled', filledSize: 3 });
    const none = await submit(h, req({ clientOrderId: 'n', side: 'buy', size: 1, price: 99.9, tif: 'IOC' }));
    expect(none).toMatchObject({ status: 'expired', filledSize: 0 });
    expect(h.updates.filter((u) => u.clientOrderId === 'n').map((u) => u.status)).toEqual(['expired']);
    expect(await h.venue.openOrders()).toEqual([]);
  });

  it('walks a market order without a limit, and stops at its protective price', async () => {
    const h = harness();
    feed(h, BOOK);
    await submit(h, req({ side: 'sell', size: 12, type: 'market', tif: 'IOC' }));
    expect(h.fills.map((f) => [f.price, f.size])).toEqual([[100, 5], [99.9, 7]]);
    const h2 = harness();
    feed(h2, BOOK);
    const ack = await submit(h2, req({ side: 'sell', size: 12, type: 'market', tif: 'IOC', price: 100 }));
    expect(ack).toMatchObject({ status: 'canceled', filledSize: 5 });
  });

  it('does not let two takers eat the same visible size before the next book', async () => {
    const h = harness();
    feed(h, BOOK);
    const a = await submit(h, req({ side: 'buy', size: 0.8, price: 100.1, tif: 'IOC' }));
    const b = await submit(h, req({ side: 'buy', size: 0.8, price: 100.1, tif: 'IOC' }));
    expect([a.filledSize, b.filledSize]).toEqual([0.8, 0.2]);
    expect(b.status).toBe('canceled');
    const c = await submit(h, req({ side: 'buy', size: 0.8, price: 100.1, tif: 'IOC' }));
    expect(c.status).toBe('expired');
    feed(h, book(T0 + 500, [[100, 5]], [[100.1, 1]]));
    const d = await submit(h, req({ side: 'buy', size: 0.8, price: 100.1, tif: 'IOC' }));
    expect(d).toMatchObject({ status: 'filled', filledSize: 0.8 });
  });

  it('post-only checks against the book net of what we consumed', async () => {
    const h = harness();
    feed(h, BOOK);
    await submit(h, req({ side: 'buy', size: 1, price: 100.1, tif: 'IOC' }));
    const po = await submit(h, req({ side: 'buy', size: 1, price: 100.1, tif: 'POST_ONLY' }));
    expect(po.status).toBe('open');
  });

  it('a crossing GTC takes up to its price, then rests the remainder', async () => {
    const h = harness();
    feed(h, BOOK);
    const ack = await submit(h, req({ clientOrderId: 'g', side: 'buy', size: 3, price: 100.1, tif: 'GTC' }));
    expect(ack).toMatchObject({ status: 'partially_filled', filledSize: 1 });
    expect(h.fills).toEqual([expect.objectContaining({ price: 100.1, size: 1, liquidity: 'taker' })]);
    expect(await h.venue.openOrders()).toEqual([expect.objectContaining({ clientOrderId: 'g', status: 'partially_filled' })]);
    feed(h, trade(T0 + 200, 100, 0.5, 'sell')); // through our 100.1 bid
    expect(h.fills[1]).toMatchObject({ price: 100.1, size: 0.5, liquidity: 'maker' });
  });
});

describe('PaperVenue reduce-only', () => {
  it('rejects a reduce-only order that would increase the position', async () => {
    const h = harness();
    feed(h, BOOK);
    const flat = await submit(h, req({ side: 'sell', size: 1, price: 100, tif: 'IOC', reduceOnly: true })).catch((e: unknown) => e);
    expect((flat as VenueRejectError).details['reason']).toBe('reduce_only_would_increase');
    await submit(h, req({ side: 'buy', size: 1, price: 100.1, tif: 'IOC' }));
    const same = await submit(h, req({ side: 'buy', size: 1, price: 99, tif: 'GTC', reduceOnly: true })).catch((e: unknown) => e);
    expect((same as VenueRejectError).details['reason']).toBe('reduce_only_would_increase');
  });

  it('clips a reduce-only taker order to the position', async () => {
    const h = harness();
    feed(h, BOOK);
    await submit(h, req({ side: 'buy', size: 1, price: 100.1, tif: 'IOC' }));
    const ro = await submit(h, req({ side: 'sell', size: 3, price: 99.9, tif: 'GTC', reduceOnly: true }));
    expect(ro).toMatchObject({ status: 'canceled', filledSize: 1 });
    expect(await h.venue.positions()).toEqual([]);
    expect(await h.venue.openOrders()).toEqual([]);
  });

  it('clips a resting reduce-only order at fill time and cancels the rest', async () => {
    const h = harness();
    feed(h, BOOK);
    await submit(h, req({ side: 'buy', size: 1, price: 100.1, tif: 'IOC' }));
    await submit(h, req({ clientOrderId: 'ro', side: 'sell', size: 2, price: 100.5, tif: 'POST_ONLY', reduceOnly: true }));
    feed(h, trade(T0 + 300, 101, 5, 'buy'));
    expect(h.fills.at(-1)).toMatchObject({ clientOrderId: 'ro', size: 1, price: 100.5 });
    expect(await h.venue.lookupOrder('ro', 'ETH-PERP')).toMatchObject({ status: 'canceled', filledSize: 1 });
    expect(await h.venue.positions()).toEqual([]);
  });
});

describe('PaperVenue cancels', () => {
  it('cancels a resting order after the latency and tolerates unknown ids', async () => {
    const h = harness();
    feed(h, BOOK);
    await submit(h, req({ clientOrderId: 'x', side: 'buy', size: 1, price: 99, tif: 'POST_ONLY' }));
    const p = h.venue.cancelOrder('x', 'ETH-PERP');
    expect(await h.venue.openOrders()).toHaveLength(1);
    h.clock.advanceTo(h.clock.now() + LATENCY);
    await p;
    expect(await h.venue.openOrders()).toEqual([]);
    expect(h.updates.at(-1)).toMatchObject({ clientOrderId: 'x', status: 'canceled' });
    await expect(cancel(h, 'nope')).resolves.toBeUndefined();
    await expect(cancel(h, 'x')).resolves.toBeUndefined();
    expect(h.updates.filter((u) => u.clientOrderId === 'x').map((u) => u.status)).toEqual(['open', 'canceled']);
  });

  it('rejects orders beyond maxOpenOrders', async () => {
    const h = harness({ config: { maxOpenOrders: 2 } });
    feed(h, BOOK);
    await submit(h, req({ side: 'buy', size: 1, price: 99, tif: 'POST_ONLY' }));
    await submit(h, req({ side: 'buy', size: 1, price: 98, tif: 'POST_ONLY' }));
    const err = await submit(h, req({ side: 'buy', size: 1, price: 97, tif: 'POST_ONLY' })).catch((e: unknown) => e);
    expect((err as VenueRejectError).details['reason']).toBe('max_open_orders');
    await expect(submit(h, req({ side: 'buy', size: 0.1, price: 100.1, tif: 'IOC' }))).resolves.toMatchObject({ status: 'filled' });
  });
});

describe('PaperVenue listeners and history', () => {
  it('keeps going when a listener throws, and serves fillsSince by clock time', async () => {
    const h = harness();
    const seen: string[] = [];
    h.venue.onFill(() => {
      throw new Error('boom');
    });
    h.venue.onFill((f) => seen.push(f.tradeId));
    feed(h, BOOK);
    await submit(h, req({ side: 'buy', size: 1, price: 100.1, tif: 'IOC' }));
    feed(h, book(T0 + 1000, [[100, 5]], [[100.1, 5]]));
    h.clock.advanceTo(T0 + 5000);
    await submit(h, req({ side: 'buy', size: 1, price: 100.1, tif: 'IOC' }));
    expect(seen).toEqual(['paper-1', 'paper-2']);
    expect(h.fills.map((f) => f.ts)).toEqual([T0 + LATENCY, T0 + 5000 + LATENCY]);
    expect((await h.venue.fillsSince(T0 + 5000 + LATENCY)).map((f) => f.tradeId)).toEqual(['paper-2']);
    expect(await h.venue.fillsSince(T0 + 10_000)).toEqual([]);
    expect(h.venue.stats().fills).toBe(2);
  });
});

describe('PaperVenue history is bounded by a day of market time', () => {
  const DAY = 86_400_000;

  it('forgets ended orders and fills a day after they ended, never a working order', async () => {
    const h = harness();
    feed(h, BOOK);
    await submit(h, req({ clientOrderId: 'taken', side: 'buy', size: 1, price: 100.1, tif: 'IOC' }));
    await submit(h, req({ clientOrderId: 'resting', side: 'buy', size: 1, price: 99, tif: 'POST_ONLY' }));
    await submit(h, req({ clientOrderId: 'refused', side: 'buy', size: 0.015, price: 99 })).catch(() => undefined);
    const endedAt = h.clock.now();

    // Within the day: all three known, the fill served, the ids refused as duplicates.
    feed(h, book(endedAt + DAY - 1000, [[100, 5]], [[100.1, 5]]));
    await submit(h, req({ clientOrderId: 'late', side: 'buy', size: 1, price: 100.1, tif: 'IOC' }));
    expect(await h.venue.lookupOrder('taken', 'ETH-PERP')).toMatchObject({ status: 'filled' });
    expect(await h.venue.lookupOrder('refused', 'ETH-PERP')).toMatchObject({ status: 'rejected' });
    const dup = await submit(h, req({ clientOrderId: 'taken', side: 'buy', size: 1, price: 99, tif: 'POST_ONLY' })).catch((e: unknown) => e);
    expect((dup as VenueRejectError).details['reason']).toBe('duplicate_client_order_id');

    // A day after they ended: the ended ones are gone, the resting one and the later fill stay.
    feed(h, book(endedAt + DAY + 1000, [[100, 5]], [[100.1, 5]]));
    await submit(h, req({ clientOrderId: 'next', side: 'buy', size: 1, price: 100.1, tif: 'IOC' }));
    expect(await h.venue.lookupOrder('taken', 'ETH-PERP')).toBeNull();
    expect(await h.venue.lookupOrder('refused', 'ETH-PERP')).toBeNull();
    expect(await h.venue.lookupOrder('resting', 'ETH-PERP')).toMatchObject({ status: 'open' });
    expect(await h.venue.lookupOrder('late', 'ETH-PERP')).toMatchObject({ status: 'filled' });
    expect((await h.venue.fillsSince(0)).map((f) => f.clientOrderId)).toEqual(['late', 'next']);
    expect(h.venue.stats().fills).toBe(3);
  });
});

describe('PaperVenue with many symbols', () => {
  it('keeps each symbol its own book, mark and fills, past the first symbols it finds by name in a list', async () => {
    const symbols = Array.from({ length: 12 }, (_, i) => `S${i}-PERP`);
    const h = harness({ instruments: symbols.map((symbol) => ({ ...ETH, symbol })), config: { startingCollateral: 1e6 } });
    // Prices differ per symbol, so reading another symbol's book or mark would show.
    const px = (i: number): number => 100 + i;
    feed(h, ...symbols.map((s, i) => book(T0, [[px(i), 5]], [[px(i) + 0.1, 5]], s)), ...symbols.map((s, i) => mark(T0, px(i), 0, s)));
    for (const i of [0, 11]) {
      await submit(h, req({ clientOrderId: `take${i}`, symbol: symbols[i]!, side: 'buy', size: 1, type: 'market', tif: 'IOC' }));
      await submit(h, req({ clientOrderId: `rest${i}`, symbol: symbols[i]!, side: 'buy', size: 1, price: px(i) - 0.5, tif: 'POST_ONLY' }));
    }
    expect(h.fills.map((f) => [f.clientOrderId, f.price])).toEqual([['take0', px(0) + 0.1], ['take11', px(11) + 0.1]]);

    // A print through the S11 order's price fills it; the same price on S0 is above its order.
    const t = h.clock.now() + 1;
    feed(h, trade(t, px(11) - 1, 2, 'sell', symbols[0]), trade(t, px(11) - 1, 2, 'sell', symbols[11]));
    expect(h.fills.slice(2).map((f) => [f.clientOrderId, f.price, f.size])).toEqual([['rest11', px(11) - 0.5, 1]]);

    // Each position is valued at its own symbol's mark.
    feed(h, mark(t + 1, px(0) + 10, 0, symbols[0]), mark(t + 1, px(11) - 10, 0, symbols[11]));
    const account = h.venue.accountNow();
    const fees = h.venue.stats().feesPaid;
    const upnl = 1 * (px(0) + 10 - (px(0) + 0.1)) + 2 * (px(11) - 10) - (px(11) + 0.1) - (px(11) - 0.5);
    expect(account.equity).toBeCloseTo(1e6 - fees + upnl, 9);
    expect(positionSize(await h.venue.positions(), symbols[11])).toBe(2);
  });
});
