import { describe, expect, it } from 'vitest';
import { staleFeedReason } from '../../src/cli/open-venue.js';
import type { VenueBundle } from '../../src/core/venue.js';
import { useLoopbackNado } from '../support/loopback-nado/loopback-suite.js';
import { nadoDataPresent } from '../support/loopback-nado/nado-fixtures.js';
import { until, waitFor } from '../support/loopback-nado/open-loopback.js';

describe.skipIf(!nadoDataPresent)('Nado stream faults against the loopback venue', () => {
  const t = useLoopbackNado();
  let bundle: VenueBundle | null = null;

  const health = (sym: string) => bundle!.source.feedHealth().find((h) => h.symbol === sym)!;

  it('a sequence gap marks the book stale, resyncs it from a fresh snapshot, and the book matches the venue again', async () => {
    bundle = await t.open({ mode: 'paper' });
    await until(bundle.source, (e) => e.kind === 'book' && e.book.symbol === 'BTC-PERP');
    const p = t.loop.product('BTC-PERP');
    // A frame that does not chain: its level must not be applied on top of a broken book.
    t.loop.publishBook(p.productId, [[p.mid - 2, 9]], [], true);
    await waitFor(() => health('BTC-PERP').resyncs === 1);
    const ev = await until(bundle.source, (e) => e.kind === 'book' && e.book.symbol === 'BTC-PERP' && e.book.bids[0]!.price === p.mid - 2);
    if (ev.kind !== 'book') throw new Error();
    expect(ev.book.bids[0]!.size).toBe(9); // from the fresh snapshot, which includes the venue's state
    expect(health('BTC-PERP').stale).toBe(true); // until a frame chains onto the new snapshot
    t.loop.publishBook(p.productId, [[p.mid - 2, 4]], []);
    await until(bundle.source, (e) => e.kind === 'book' && e.book.symbol === 'BTC-PERP' && e.book.bids[0]!.size === 4);
    expect(health('BTC-PERP')).toMatchObject({ stale: false, resyncs: 1 });
  });

  it('a silent stream goes stale (entries pause: staleFeedReason names it), reconnects and resyncs', async () => {
    bundle = await t.open({ mode: 'paper', config: { staleAfterMs: 400 } });
    let timer = setInterval(() => t.loop.tick(), 50);
    await waitFor(() => bundle!.source.feedHealth().every((h) => !h.stale));
    clearInterval(timer);
    expect(staleFeedReason(bundle.source.feedHealth())).toBeNull();
    t.loop.silent = true;
    await waitFor(() => health('ETH-PERP').stale, 3_000);
    expect(staleFeedReason(bundle.source.feedHealth())).toMatch(/nado ETH-PERP: /);
    await new Promise((r) => setTimeout(r, 600)); // stays stale while silent, even across resyncs
    expect(health('ETH-PERP').stale).toBe(true);
    t.loop.silent = false;
    timer = setInterval(() => t.loop.tick(), 50);
    try {
      await waitFor(() => bundle!.source.feedHealth().every((h) => !h.stale && h.resyncs >= 1), 5_000);
    } finally {
      clearInterval(timer);
    }
    expect(staleFeedReason(bundle.source.feedHealth())).toBeNull();
  });

  it('malformed messages are dropped and counted, never crash the source', async () => {
    bundle = await t.open({ mode: 'paper' });
    await until(bundle.source, (e) => e.kind === 'book');
    t.loop.sendRaw('{garbage');
    t.loop.sendRaw(JSON.stringify({ type: 'book_depth', product_id: 2, bids: 'x' }));
    await waitFor(() => bundle!.source.feedHealth().reduce((s, h) => s + h.dropped, 0) === 2);
    const p = t.loop.product('BTC-PERP');
    t.loop.publishBook(p.productId, [[p.mid - 3, 5]], []);
    await until(bundle.source, (e) => e.kind === 'book' && e.book.symbol === 'BTC-PERP' && e.book.bids[0]!.price === p.mid - 3);
  });

  it('the account limiter never lets more order weight out than the configured window', async () => {
    bundle = await t.open({ config: { limits: { ordersPer10s: 5, ordersPerMinute: 600, queriesPer10s: 400, queriesPerMinute: 2400, headroom: 1 } } });
    const live = bundle.live!;
    const ticker = setInterval(() => t.loop.tick(), 200); // a live market: no stale cancel-alls
    const t0 = Date.now();
    const placed = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        live.placeOrder({ clientOrderId: `r-${i}`, symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'GTC', price: t.loop.product('BTC-PERP').mid - 100 - i, size: 0.001, reduceOnly: false }),
      ),
    ).catch((e: unknown) => e);
    clearInterval(ticker);
    // 5 go at once; the 6th and 7th wait for the first ones to leave the 10 s window.
    if (!Array.isArray(placed)) throw placed;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(9_500);
    const orders = t.loop.requests.filter((r) => r.kind === 'place').map((r) => r.at);
    expect(orders).toHaveLength(7);
    // The venue counts arrivals; grant-to-arrival latency (signing) varies by up to ~1 s here.
    for (const at of orders) expect(orders.filter((x) => x > at - 9_000 && x <= at).length).toBeLessThanOrEqual(5);
  }, 20_000);
});
