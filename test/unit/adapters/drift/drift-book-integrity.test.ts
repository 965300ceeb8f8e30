import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DriftMarketSource } from '../../../../adapters/drift/drift-market-source.js';
import { SimClock } from '../../../../src/core/clock.js';
import { silentLogger } from '../../../../src/core/logger.js';
import type { Instrument, MarketEvent } from '../../../../src/core/types.js';

const FILE = resolve(process.cwd(), 'test/fixtures/venues/drift/ccxt_http_responses.json');
const present = existsSync(FILE);

type Obj = Record<string, unknown>;

/**
 * Book integrity of the Drift market source, fed through its frame handler with the recorded DLOB
 * `/l2` document (test/fixtures/venues/drift) in the grouped channel's envelope: a document that
 * cannot be applied leaves the book stale until the next one, a repeated frame is ignored, an
 * older slot is dropped, silence is stale.
 */
describe.skipIf(!present)('Drift book integrity (recorded DLOB document, frame handler, simulated clock)', () => {
  const doc = (): Obj => (JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, { httpResponse: Obj }>)['fetchOrderBook']!.httpResponse;
  const SLOT = 399335746;
  const TS = 1770731534675;
  /** A grouped-channel frame carrying the recorded document with our slot, ts and first bid. */
  const frame = (over: Obj = {}, index = 1): string =>
    JSON.stringify({ channel: `orderbook_perp_${index}_grouped_1`, data: JSON.stringify({ ...doc(), marketIndex: index, ...over }) });
  const inst = (symbol: string): Instrument => ({ venue: 'drift', symbol, tickSize: 0.1, lotSize: 0.0001, minSize: 0.0001 }) as Instrument;

  function harness() {
    const clock = new SimClock(1_000);
    const stale: string[] = [];
    const src = new DriftMarketSource({
      instruments: [inst('BTC-PERP'), inst('ETH-PERP')], marketIndex: new Map([['BTC-PERP', 1], ['ETH-PERP', 2]]),
      dlobHttp: 'http://127.0.0.1:1', dlobWs: 'ws://127.0.0.1:1', dataApi: null, wall: clock, logger: silentLogger,
      staleAfterMs: 1_000, reconnectDelayMs: 10, bookDepth: 10, onStale: (symbol, reason) => stale.push(`${symbol}: ${reason}`),
    });
    const health = (sym = 'BTC-PERP') => src.feedHealth().find((h) => h.symbol === sym)!;
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
    // Both books sound.
    src.onFrame(frame({ slot: SLOT, ts: TS }));
    src.onFrame(frame({ slot: SLOT, ts: TS, marketName: 'ETH-PERP' }, 2));
    return { clock, src, health, drain, stale };
  }

  const broken: [string, Obj | string][] = [
    ['a level whose size is null', { bids: [{ price: '68870000000', size: null }] }],
    ['a non-numeric price', { bids: [{ price: 'abc', size: '1000000000' }] }],
    ['a NaN size', { asks: [{ price: '68920000000', size: 'NaN' }] }],
    ['a level that is not an object', { bids: [['68870000000', '1000000000']] }],
    ['no slot', { slot: undefined }],
    ['data that is not JSON', JSON.stringify({ channel: 'orderbook_perp_1_grouped_1', data: '{"bids":[{' })],
  ];

  it.each(broken)('a book document with %s marks that book stale (the stale handler told) until the next document replaces it', async (_what, over) => {
    const h = harness();
    await h.drain();
    expect(h.health()).toMatchObject({ stale: false, dropped: 0 });
    h.src.onFrame(typeof over === 'string' ? over : frame({ slot: SLOT + 1, ts: TS + 400, ...over }));
    expect(h.health()).toMatchObject({ stale: true, dropped: 1 });
    expect(h.health().reason).toMatch(/could not be applied/);
    expect(h.stale).toEqual([expect.stringMatching(/^BTC-PERP: a book document could not be applied/)]);
    expect(h.health('ETH-PERP')).toMatchObject({ stale: false, dropped: 0 });
    expect(await h.drain()).toEqual([]); // nothing of it reached the engine
    h.src.onFrame(frame({ slot: SLOT + 2, ts: TS + 800, bids: [{ price: '68871000000', size: '1000000000' }] }));
    expect(h.health()).toMatchObject({ stale: false, reason: null });
    const books = (await h.drain()).filter((e) => e.kind === 'book');
    expect(books).toHaveLength(1);
    expect(books[0]!.kind === 'book' && books[0]!.book.bids[0]).toEqual({ price: 68871, size: 1 });
    await h.src.close();
  });

  it('a broken book frame that names no market unsyncs every book; a broken trades frame unsyncs none', async () => {
    const h = harness();
    await h.drain();
    h.src.onFrame(JSON.stringify({ channel: 'trades_perp_1', data: '{oops' }));
    expect(h.health()).toMatchObject({ stale: false, dropped: 1 });
    h.src.onFrame('{"channel":"orderbook_perp_');
    expect(h.health()).toMatchObject({ stale: true, dropped: 2 });
    expect(h.health('ETH-PERP')).toMatchObject({ stale: true, dropped: 1 });
    await h.src.close();
  });

  it('a malformed frame of a market we do not stream changes nothing', async () => {
    const h = harness();
    h.src.onFrame(frame({ slot: SLOT + 1, ts: TS + 1, bids: [{ price: 'x', size: '1' }] }, 7));
    expect(h.health()).toMatchObject({ stale: false, dropped: 0 });
    expect(h.health('ETH-PERP')).toMatchObject({ stale: false, dropped: 0 });
    await h.src.close();
  });

  it('a repeated frame (same slot, same server time) is ignored: no event, no resync; a republish in the same slot is applied', async () => {
    const h = harness();
    await h.drain();
    h.src.onFrame(frame({ slot: SLOT, ts: TS }));
    expect(await h.drain()).toEqual([]);
    expect(h.health()).toMatchObject({ stale: false, resyncs: 0, dropped: 0 });
    h.src.onFrame(frame({ slot: SLOT, ts: TS + 100, bids: [{ price: '68866000000', size: '1000000000' }] }));
    const books = (await h.drain()).filter((e) => e.kind === 'book');
    expect(books).toHaveLength(1);
    expect(h.src.top('BTC-PERP')!.bid).toBe(68866);
    await h.src.close();
  });

  it('an older slot (another server replica) is dropped without an event; the newer book stands', async () => {
    const h = harness();
    await h.drain();
    h.src.onFrame(frame({ slot: SLOT - 5, ts: TS + 50, bids: [{ price: '68000000000', size: '1000000000' }] }));
    expect(await h.drain()).toEqual([]);
    expect(h.src.top('BTC-PERP')!.bid).toBe(68864.7);
    expect(h.health()).toMatchObject({ stale: false, dropped: 0 });
    await h.src.close();
  });

  it('silence for staleAfterMs marks a book stale, naming how long; the next document clears it', async () => {
    const h = harness();
    h.clock.advanceTo(1_900);
    h.src.onFrame(frame({ slot: SLOT + 1, ts: TS + 900 }, 2));
    expect(h.health()).toMatchObject({ stale: false });
    h.clock.advanceTo(2_100);
    expect(h.health()).toMatchObject({ stale: true, reason: 'no book update for 1100 ms' });
    expect(h.health('ETH-PERP')).toMatchObject({ stale: false });
    h.src.onFrame(frame({ slot: SLOT + 2, ts: TS + 1_100 }));
    expect(h.health()).toMatchObject({ stale: false });
    await h.src.close();
  });
});
