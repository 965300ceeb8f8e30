import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../../src/core/types.js';
import { MarketState } from '../../../src/engine/market-state.js';

const T0 = Date.UTC(2026, 0, 1); // a minute boundary
const MIN = 60_000;

const mark = (ts: number, symbol: string, markPrice: number, fundingRate = 0): MarketEvent => ({
  kind: 'mark',
  ts,
  mark: { symbol, ts, markPrice, fundingRate },
});
const book = (ts: number, symbol: string, bid: number, ask: number): MarketEvent => ({
  kind: 'book',
  ts,
  book: { symbol, ts, seq: ts, bids: [{ price: bid, size: 1 }], asks: [{ price: ask, size: 1 }] },
});
const trade = (ts: number, symbol: string, price: number): MarketEvent => ({
  kind: 'trade',
  ts,
  trade: { symbol, ts, price, size: 1, aggressor: 'buy', tradeId: String(ts) },
});

describe('MarketState bars', () => {
  it('closes a bar on the first event at or after the next minute boundary, with the last mark of each symbol', () => {
    const s = new MarketState();
    expect(s.apply(mark(T0 + 1_000, 'ETH-PERP', 3000))).toBeNull();
    expect(s.apply(mark(T0 + 30_000, 'SOL-PERP', 150))).toBeNull();
    expect(s.apply(mark(T0 + 59_999, 'ETH-PERP', 3001))).toBeNull(); // last millisecond of the minute
    const closed = s.apply(mark(T0 + MIN, 'ETH-PERP', 3005)); // exactly the boundary
    expect(closed?.ts).toBe(T0);
    expect(Object.fromEntries(closed!.closes)).toEqual({ 'ETH-PERP': 3001, 'SOL-PERP': 150 });
  });

  it('closes one bar when several minutes pass, labelled with the last open bar', () => {
    const s = new MarketState();
    s.apply(mark(T0 + 5_000, 'ETH-PERP', 3000));
    const closed = s.apply(mark(T0 + 5 * MIN + 1, 'ETH-PERP', 3100));
    expect(closed?.ts).toBe(T0);
    expect(s.apply(mark(T0 + 5 * MIN + 2, 'ETH-PERP', 3101))).toBeNull();
    expect(s.apply(mark(T0 + 6 * MIN, 'ETH-PERP', 3102))?.ts).toBe(T0 + 5 * MIN);
  });

  it('carries a symbol without new marks forward at its last close', () => {
    const s = new MarketState();
    s.apply(mark(T0, 'ETH-PERP', 3000));
    s.apply(mark(T0 + 1, 'SOL-PERP', 150));
    s.apply(mark(T0 + MIN, 'ETH-PERP', 3010));
    const closed = s.apply(mark(T0 + 2 * MIN, 'ETH-PERP', 3020));
    expect(Object.fromEntries(closed!.closes)).toEqual({ 'ETH-PERP': 3010, 'SOL-PERP': 150 });
  });

  it('does not close a bar that saw no marks (books and trades only)', () => {
    const s = new MarketState();
    s.apply(book(T0, 'ETH-PERP', 2999, 3001));
    s.apply(trade(T0 + 10, 'ETH-PERP', 3000));
    expect(s.apply(book(T0 + MIN, 'ETH-PERP', 2999, 3001))).toBeNull();
  });

  it('returns the closed bar as a snapshot that later events do not change', () => {
    const s = new MarketState();
    s.apply(mark(T0, 'ETH-PERP', 3000));
    const closed = s.apply(mark(T0 + MIN, 'ETH-PERP', 3050))!;
    s.apply(mark(T0 + MIN + 1, 'ETH-PERP', 3070));
    expect(closed.closes.get('ETH-PERP')).toBe(3000);
  });

  it('ignores a late event for bar purposes (never reopens an older minute)', () => {
    const s = new MarketState();
    s.apply(mark(T0 + MIN, 'ETH-PERP', 3000));
    expect(s.apply(mark(T0 + 10, 'ETH-PERP', 2990))).toBeNull();
    expect(s.apply(mark(T0 + MIN + 10, 'ETH-PERP', 3001))).toBeNull();
    expect(s.apply(mark(T0 + 2 * MIN, 'ETH-PERP', 3002))?.ts).toBe(T0 + MIN);
  });
});

describe('MarketState bars against the formula', () => {
  /** Every event's minute worked out afresh, as bars were kept before the boundary gate. */
  function referenceBars(events: readonly MarketEvent[]): ({ ts: number; closes: [string, number][] } | null)[] {
    let current: number | null = null;
    const marks = new Map<string, number>();
    return events.map((ev) => {
      let closed: { ts: number; closes: [string, number][] } | null = null;
      const barTs = Math.floor(ev.ts / MIN) * MIN;
      if (current !== null && barTs > current && marks.size > 0) closed = { ts: current, closes: [...marks] };
      if (current === null || barTs > current) current = barTs;
      if (ev.kind === 'mark') marks.set(ev.mark.symbol, ev.mark.markPrice);
      return closed;
    });
  }

  /** The largest double below `x` (x > 0). */
  const below = (x: number): number => {
    const v = new Float64Array([x]);
    const bits = new BigInt64Array(v.buffer);
    bits[0]! -= 1n;
    return v[0]!;
  };
  // Times near minute edges, late ones included, whole and fractional milliseconds, and the
  // double just below an edge.
  const edgeTs = fc
    .tuple(fc.integer({ min: 0, max: 6 }), fc.constantFrom(-2, -1.5, -1, -0.5, 'just below', 0, 0.5, 1, 2, 30_000), fc.boolean())
    .map(([minute, offset, far]) => {
      const edge = T0 + (far ? 1_000_000 * MIN : 0) + minute * MIN;
      return typeof offset === 'string' ? below(edge) : edge + offset;
    });
  const barEvent = fc.tuple(edgeTs, fc.constantFrom('mark', 'book', 'trade'), fc.constantFrom('ETH-PERP', 'SOL-PERP'), fc.integer({ min: 1, max: 5000 })).map(
    ([ts, kind, sym, p]) => (kind === 'mark' ? mark(ts, sym, p) : kind === 'book' ? book(ts, sym, p - 1, p + 1) : trade(ts, sym, p)),
  );

  it('closes the same bars, at the same events, as working out each event\'s minute', () => {
    fc.assert(
      fc.property(fc.array(barEvent, { maxLength: 40 }), (events) => {
        const s = new MarketState();
        const got = events.map((ev) => {
          const closed = s.apply(ev);
          return closed === null ? null : { ts: closed.ts, closes: [...closed.closes] };
        });
        expect(got).toEqual(referenceBars(events));
      }),
      { numRuns: 500 },
    );
  });

  it('closes the same bars when the prints it says it ignores are passed over, many of them (property)', () => {
    let passed = 0;
    let prints = 0;
    fc.assert(
      fc.property(fc.array(barEvent, { maxLength: 40 }), (events) => {
        const s = new MarketState();
        const got = events.map((ev) => {
          if (ev.kind === 'trade') prints++;
          if (ev.kind === 'trade' && s.ignoresPrint(ev)) {
            passed++;
            return null;
          }
          const closed = s.apply(ev);
          return closed === null ? null : { ts: closed.ts, closes: [...closed.closes] };
        });
        expect(got).toEqual(referenceBars(events));
      }),
      { numRuns: 500 },
    );
    expect(passed).toBeGreaterThan(prints / 4);
  });
});

describe('MarketState marks, mids and books', () => {
  it.each([
    ['nothing known', [] as MarketEvent[], undefined, undefined],
    ['only a book: mark falls back to mid', [book(T0, 'ETH-PERP', 2999, 3001)], 3000, 3000],
    ['only a mark: mid falls back to mark', [mark(T0, 'ETH-PERP', 3005)], 3005, 3005],
    ['both: mark is the mark, mid is the book', [book(T0, 'ETH-PERP', 2999, 3001), mark(T0, 'ETH-PERP', 3005)], 3005, 3000],
    ['one-sided book and no mark', [{ kind: 'book', ts: T0, book: { symbol: 'ETH-PERP', ts: T0, seq: 1, bids: [{ price: 2999, size: 1 }], asks: [] } } as MarketEvent], undefined, undefined],
    ['another symbol only', [mark(T0, 'SOL-PERP', 150)], undefined, undefined],
  ])('%s', (_name, events, expectedMark, expectedMid) => {
    const s = new MarketState();
    for (const ev of events) s.apply(ev);
    expect(s.mark('ETH-PERP')).toBe(expectedMark);
    expect(s.mid('ETH-PERP')).toBe(expectedMid);
  });

  it('keeps only the latest book per symbol (coalesced)', () => {
    const s = new MarketState();
    s.apply(book(T0, 'ETH-PERP', 2999, 3001));
    s.apply(book(T0 + 1, 'ETH-PERP', 3009, 3011));
    s.apply(book(T0 + 1, 'SOL-PERP', 149.9, 150.1));
    expect(s.book('ETH-PERP')?.bids[0]?.price).toBe(3009);
    expect(s.mid('ETH-PERP')).toBe(3010);
    expect(s.book('BTC-PERP')).toBeUndefined();
  });

  it('exposes every latest mark', () => {
    const s = new MarketState();
    s.apply(mark(T0, 'ETH-PERP', 3000));
    s.apply(mark(T0 + 1, 'SOL-PERP', 150));
    s.apply(mark(T0 + 2, 'ETH-PERP', 3001));
    expect(Object.fromEntries(s.allMarks())).toEqual({ 'ETH-PERP': 3001, 'SOL-PERP': 150 });
  });
});

describe('MarketState reads, cached per book and found by a scan of names', () => {
  // The reference: what mark() and mid() answered before the cache, from the last book and mark.
  const reference = (events: readonly MarketEvent[], symbol: string): { mark: number | undefined; mid: number | undefined } => {
    let b: { bids: readonly { price: number }[]; asks: readonly { price: number }[] } | undefined;
    let m: number | undefined;
    for (const ev of events) {
      if (ev.kind === 'book' && ev.book.symbol === symbol) b = ev.book;
      if (ev.kind === 'mark' && ev.mark.symbol === symbol) m = ev.mark.markPrice;
    }
    const bid = b?.bids[0]?.price;
    const ask = b?.asks[0]?.price;
    const bookMid = bid !== undefined && ask !== undefined ? (bid + ask) / 2 : undefined;
    return { mark: m ?? bookMid, mid: bookMid ?? m };
  };
  const price = fc.double({ min: 1, max: 1e5, noNaN: true });
  // Twelve names: more than the scanned list holds, so the map behind it answers too.
  const symbol = fc.integer({ min: 0, max: 11 }).map((k) => `S${k}-PERP`);
  const event = fc.oneof(
    fc.tuple(symbol, price, price, fc.boolean(), fc.boolean()).map(([s, bid, ask, hasBid, hasAsk]): MarketEvent => ({
      kind: 'book',
      ts: T0,
      book: { symbol: s, ts: T0, seq: 1, bids: hasBid ? [{ price: bid, size: 1 }] : [], asks: hasAsk ? [{ price: ask, size: 1 }] : [] },
    })),
    fc.tuple(symbol, price).map(([s, p]) => mark(T0, s, p)),
    fc.tuple(symbol, price).map(([s, p]) => trade(T0, s, p)),
  );

  it('answers every mark and mid as computed afresh from the last book and mark, read after every event', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (events) => {
        const s = new MarketState();
        const seen: MarketEvent[] = [];
        for (const ev of events) {
          s.apply(ev);
          seen.push(ev);
          for (let k = 0; k < 12; k++) {
            const sym = `S${k}-PERP`;
            const want = reference(seen, sym);
            // Read twice: the second read of a book's mid comes from the cache.
            for (let r = 0; r < 2; r++) {
              expect(s.mark(sym)).toBe(want.mark);
              expect(s.mid(sym)).toBe(want.mid);
            }
          }
        }
      }),
    );
  });
});
