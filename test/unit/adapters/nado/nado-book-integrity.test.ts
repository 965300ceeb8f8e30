import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NadoMarketSource } from '../../../../adapters/nado/nado-market-source.js';
import type { BookSnapshot } from '../../../../adapters/nado/nado-book.js';
import { SimClock, settle } from '../../../../src/core/clock.js';
import { silentLogger } from '../../../../src/core/logger.js';
import type { MarketEvent } from '../../../../src/core/types.js';
import { NADO_DATA, nadoDataPresent } from '../../../support/loopback-nado/nado-fixtures.js';

type Obj = Record<string, unknown>;

/**
 * Book integrity of the Nado market source, fed through its frame handler with the shape of the
 * recorded `book_depth` frames (test/fixtures/venues/nado/ws_frames.jsonl): a frame that cannot be
 * applied in full resyncs at once, a gap resyncs, a duplicate is ignored, silence goes stale.
 */
describe.skipIf(!nadoDataPresent)('Nado book integrity (recorded frame shapes, frame handler, simulated clock)', () => {
  const recorded = (): Obj => JSON.parse(readFileSync(resolve(NADO_DATA, 'ws_frames.jsonl'), 'utf8').split('\n')[0]!) as Obj;
  const X = 10n ** 18n;
  const px = (v: number): string => (BigInt(v) * X).toString();
  // The recorded frame (product 2) chains from 1790585975679078357 to 1790585975732686867.
  const T0 = 1790585975679078357n;
  const SNAP_TS = 1790585975700000000n;
  const step = 50_000_000n; // 50 ms between frames, in ns

  /** A frame of the recorded shape chaining `last` → `max`, with our levels. */
  const frame = (last: bigint, max: bigint, bids: unknown[], asks: unknown[] = [], over: Obj = {}): string =>
    JSON.stringify({ ...recorded(), last_max_timestamp: last.toString(), min_timestamp: max.toString(), max_timestamp: max.toString(), bids, asks, ...over });

  function harness(opts: { staleAfterMs?: number; failSnapshotsFor?: Set<number> } = {}) {
    const clock = new SimClock(0);
    const snapshots: number[] = [];
    let reconnects = 0;
    const src = new NadoMarketSource({
      venue: 'nado',
      markets: [{ symbol: 'BTC-PERP', productId: 2 }, { symbol: 'ETH-PERP', productId: 4 }],
      instruments: [], history: new Map(), wall: clock, logger: silentLogger, staleAfterMs: opts.staleAfterMs ?? 1_000, depth: 10,
      fetchSnapshot: async (pid): Promise<BookSnapshot> => {
        snapshots.push(pid);
        if (opts.failSnapshotsFor?.has(pid)) throw new Error('market_liquidity timed out');
        return { tsNs: SNAP_TS, bids: [[82_900, 1]], asks: [[82_960, 1]] };
      },
      requestReconnect: () => {
        reconnects++;
      },
    });
    src.setPrivateListener({ onPrivateFill: () => undefined, onPrivateOrderUpdate: () => undefined, onStale: () => undefined });
    const health = (sym = 'BTC-PERP') => src.feedHealth().find((h) => h.symbol === sym)!;
    /** Every queued event; the last wait ends on the (simulated) clock, so no waiter is left to take later events. */
    const drain = async (): Promise<MarketEvent[]> => {
      const out: MarketEvent[] = [];
      for (;;) {
        const p = src.next(0);
        clock.advanceTo(clock.now());
        const e = await p;
        if (e === 'idle' || e === null) return out;
        out.push(e);
      }
    };
    return { clock, src, health, drain, snapshots, reconnects: () => reconnects };
  }

  /** Connected, seeded, and one frame chained: BTC-PERP is healthy. */
  async function synced(opts: Parameters<typeof harness>[0] = {}) {
    const h = harness(opts);
    h.src.onConnected();
    await settle();
    h.src.onMessage(frame(T0, T0 + step, [[px(82_913), px(1)]]), 1);
    h.src.onMessage(frame(T0, T0 + step, [[px(82_913), px(1)]], [], { product_id: 4 }), 1);
    await h.drain();
    expect(h.health()).toMatchObject({ stale: false, resyncs: 0 });
    return h;
  }

  const broken: [string, (last: bigint, max: bigint) => string][] = [
    ['a level whose size is null', (l, m) => frame(l, m, [[px(82_914), null]])],
    ['a level with one field', (l, m) => frame(l, m, [[px(82_914)]])],
    ['a non-numeric price', (l, m) => frame(l, m, [['82914.5', px(2)]])],
    ['a NaN size', (l, m) => frame(l, m, [[px(82_914), 'NaN']])],
    ['no last_max_timestamp', (l, m) => frame(l, m, [[px(82_914), px(2)]], [], { last_max_timestamp: undefined })],
    ['a numeric max_timestamp', (l, m) => frame(l, m, [[px(82_914), px(2)]], [], { max_timestamp: 1.79e18 })],
    ['asks that are not a list', (l, m) => frame(l, m, [[px(82_914), px(2)]], [], { asks: 'x' })],
    ['text that is not JSON', (l, m) => frame(l, m, [[px(82_914), px(2)]]).slice(0, -3)],
  ];

  it.each(broken)('a book frame with %s marks the book stale and resyncs it at once (its change is never half-applied)', async (_what, make) => {
    const h = await synced();
    h.src.onMessage(make(T0 + step, T0 + 2n * step), 2);
    // Not "healthy until the next frame shows the broken chain": stale now, and a fresh snapshot asked for.
    expect(h.health()).toMatchObject({ stale: true, dropped: 1 });
    expect(h.health().reason).toMatch(/resyncing/);
    await settle();
    expect(h.snapshots.filter((p) => p === 2)).toHaveLength(2);
    expect(h.health().resyncs).toBe(1);
    expect(h.health('ETH-PERP')).toMatchObject({ stale: false, resyncs: 0 }); // the frame named its product
    const books = (await h.drain()).filter((e) => e.kind === 'book');
    for (const e of books) if (e.kind === 'book') expect(e.book.bids.map((l) => l.price)).not.toContain(82_914);
    h.src.onMessage(frame(SNAP_TS - 1n, SNAP_TS + 3n * step, [[px(82_915), px(3)]]), 3); // the stream chains onto the fresh snapshot
    expect(h.health()).toMatchObject({ stale: false, resyncs: 1 });
    expect(h.reconnects()).toBe(0);
    await h.src.close();
  });

  it('a broken book frame that does not say its product resyncs every book', async () => {
    const h = await synced();
    h.src.onMessage('{"type":"book_depth","bids":[[', 2);
    expect(h.health()).toMatchObject({ stale: true });
    expect(h.health('ETH-PERP')).toMatchObject({ stale: true });
    await settle();
    expect(h.snapshots).toEqual([2, 4, 2, 4]);
    await h.src.close();
  });

  it('a malformed frame of a product we do not stream changes nothing', async () => {
    const h = await synced();
    h.src.onMessage(frame(T0, T0 + step, [[px(1), null]], [], { product_id: 99 }), 2);
    await settle();
    expect(h.health()).toMatchObject({ stale: false, resyncs: 0, dropped: 0 });
    expect(h.snapshots).toEqual([2, 4]);
    await h.src.close();
  });

  it('a gap (a frame that does not chain) resyncs that book only', async () => {
    const h = await synced();
    h.src.onMessage(frame(T0 + 2n * step, T0 + 3n * step, [[px(82_914), px(2)]]), 2);
    expect(h.health()).toMatchObject({ stale: true });
    await settle();
    expect(h.health().resyncs).toBe(1);
    expect(h.snapshots).toEqual([2, 4, 2]);
    expect(h.reconnects()).toBe(0);
    await h.src.close();
  });

  it('a duplicate of a frame already applied is ignored: no resync, no reconnect, the book unchanged', async () => {
    const h = await synced();
    const next = frame(T0 + step, T0 + 2n * step, [[px(82_913), px(5)]]);
    h.src.onMessage(next, 2);
    const before = (await h.drain()).filter((e) => e.kind === 'book');
    expect(before).toHaveLength(1);
    h.src.onMessage(next, 3); // the same frame again
    h.src.onMessage(frame(T0, T0 + step, [[px(82_913), px(1)]]), 4); // and an older one
    await settle();
    expect(await h.drain()).toEqual([]);
    expect(h.health()).toMatchObject({ stale: false, resyncs: 0, dropped: 0 });
    expect(h.snapshots).toEqual([2, 4]);
    expect(h.reconnects()).toBe(0);
    expect(h.src.top('BTC-PERP')).toEqual({ bid: 82_913, ask: 82_960 });
    await h.src.close();
  });

  it('silence marks the book stale and replaces the connection; so does one product whose stream never comes while the other keeps it busy', async () => {
    const h = harness({ staleAfterMs: 1_000 });
    h.src.onConnected();
    await settle();
    // BTC keeps streaming; ETH was seeded but no frame of its ever comes (its subscription was lost).
    let last = T0;
    for (let t = 100; t <= 1_500; t += 100) {
      h.clock.advanceTo(t);
      h.src.onMessage(frame(last, last + step, [[px(82_913), px(t)]]), t);
      last += step;
    }
    expect(h.health()).toMatchObject({ stale: false });
    expect(h.health('ETH-PERP')).toMatchObject({ stale: true });
    expect(h.health('ETH-PERP').reason).toMatch(/no book update/);
    expect(h.reconnects()).toBe(1);
    await h.src.close();
  });

  it('a product whose snapshot never arrives stays stale, naming why, and is asked again until it comes', async () => {
    const fail = new Set([4]);
    const h = harness({ failSnapshotsFor: fail });
    h.src.onConnected();
    await settle();
    for (let t = 200; t <= 10_000; t += 200) {
      h.clock.advanceTo(t);
      await settle();
    }
    expect(h.snapshots.filter((p) => p === 4).length).toBeGreaterThanOrEqual(4);
    expect(h.health('ETH-PERP')).toMatchObject({ stale: true });
    expect(h.health('ETH-PERP').reason).toMatch(/resyncing/);
    fail.clear();
    h.clock.advanceTo(16_000);
    await settle();
    expect(h.health('ETH-PERP').reason).toBe('resynced, waiting for the stream');
    await h.src.close();
  });
});
