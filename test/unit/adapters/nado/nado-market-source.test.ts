import { describe, expect, it } from 'vitest';
import { NadoMarketSource } from '../../../../adapters/nado/nado-market-source.js';
import { SimClock, settle } from '../../../../src/core/clock.js';
import { silentLogger } from '../../../../src/core/logger.js';

const X = 10n ** 18n;
const px = (v: number): string => (BigInt(v) * X).toString();
const frame = (last: bigint, max: bigint, bid: number, size: number): string =>
  JSON.stringify({ type: 'book_depth', last_max_timestamp: last.toString(), min_timestamp: max.toString(), max_timestamp: max.toString(), product_id: 2, bids: [[px(bid), px(size)]], asks: [] });

function source(clock: SimClock, staleAfterMs = 1_000) {
  let snapshots = 0;
  const stale: string[] = [];
  const src = new NadoMarketSource({
    venue: 'nado', markets: [{ symbol: 'BTC-PERP', productId: 2 }], instruments: [], history: new Map(), wall: clock, logger: silentLogger,
    staleAfterMs, depth: 10,
    fetchSnapshot: async () => {
      snapshots++;
      return { tsNs: 1000n, bids: [[99, 1]], asks: [[101, 1]] };
    },
  });
  src.setPrivateListener({ onPrivateFill: () => undefined, onPrivateOrderUpdate: () => undefined, onStale: (s) => stale.push(s) });
  return { src, snapshots: () => snapshots, stale };
}

async function drainEvents(src: NadoMarketSource) {
  const out = [];
  for (;;) {
    const e = await Promise.race([src.next(0), settle().then(() => 'idle' as const)]);
    if (e === 'idle' || e === null) return out;
    out.push(e);
  }
}

describe('NadoMarketSource (Nado book_depth over a fake snapshot, simulated wall clock)', () => {
  it('coalesces a burst of frames for one symbol into the newest book while the consumer is busy', async () => {
    const clock = new SimClock(0);
    const { src } = source(clock);
    src.onConnected();
    await settle();
    src.onMessage(frame(900n, 1100n, 100, 1), 1);
    src.onMessage(frame(1100n, 1200n, 100, 2), 2);
    src.onMessage(frame(1200n, 1300n, 100, 3), 3);
    const evs = await drainEvents(src);
    const books = evs.filter((e) => e.kind === 'book');
    expect(books).toHaveLength(1); // the snapshot book was replaced too: same symbol, newer state
    expect(books[0]!.kind === 'book' && books[0]!.book.bids[0]).toEqual({ price: 100, size: 3 });
    expect(src.feedHealth()[0]).toMatchObject({ stale: false, resyncs: 0, dropped: 0 });
    await src.close();
  });

  it('a dropped socket is a gap: stale, the venue told, resync on reconnect counted', async () => {
    const clock = new SimClock(0);
    const { src, snapshots, stale } = source(clock);
    src.onConnected();
    await settle();
    src.onMessage(frame(900n, 1100n, 100, 1), 1);
    src.onDropped('socket closed');
    expect(src.feedHealth()[0]).toMatchObject({ stale: true });
    expect(stale).toHaveLength(1);
    src.onConnected();
    await settle();
    expect(snapshots()).toBe(2);
    expect(src.feedHealth()[0]).toMatchObject({ stale: true, resyncs: 1, reason: 'resynced, waiting for the stream' });
    src.onMessage(frame(1000n, 1400n, 100, 5), 5);
    expect(src.feedHealth()[0]!.stale).toBe(false);
    await src.close();
  });

  it('no update for staleAfterMs marks the feed stale and tells the venue once', async () => {
    const clock = new SimClock(0);
    const { src, stale } = source(clock, 1_000);
    src.onConnected();
    await settle();
    src.onMessage(frame(900n, 1100n, 100, 1), 0);
    clock.advanceTo(900);
    expect(src.feedHealth()[0]!.stale).toBe(false);
    clock.advanceTo(1_300);
    expect(src.feedHealth()[0]).toMatchObject({ stale: true });
    expect(src.feedHealth()[0]!.reason).toMatch(/stale stream|no book update/);
    clock.advanceTo(5_000);
    await settle();
    expect(stale).toEqual(['BTC-PERP']);
    await src.close();
  });
});
