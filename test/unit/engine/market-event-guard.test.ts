import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { BookLevel, MarketEvent } from '../../../src/core/types.js';
import { MarketEventGuard, marketEventProblem } from '../../../src/engine/market-event-guard.js';

const T = Date.UTC(2026, 0, 1);
const lv = (pairs: Array<[number, number]>): BookLevel[] => pairs.map(([price, size]) => ({ price, size }));
const book = (bids: Array<[number, number]>, asks: Array<[number, number]>): MarketEvent => ({
  kind: 'book',
  ts: T,
  book: { symbol: 'ETH-PERP', ts: T, seq: 1, bids: lv(bids), asks: lv(asks) },
});
const trade = (price: number, size: number, aggressor: string = 'buy'): MarketEvent =>
  ({ kind: 'trade', ts: T, trade: { symbol: 'ETH-PERP', ts: T, price, size, aggressor, tradeId: 't1' } }) as unknown as MarketEvent;
const mark = (markPrice: number, fundingRate = 0.0001): MarketEvent => ({
  kind: 'mark',
  ts: T,
  mark: { symbol: 'ETH-PERP', ts: T, markPrice, fundingRate },
});
/** Garbage that only the type system would have refused. */
const raw = (v: unknown): MarketEvent => v as MarketEvent;

const GOOD: readonly MarketEvent[] = [
  book([[2999.9, 1], [2999.8, 2]], [[3000.1, 1], [3000.2, 2]]),
  book([], []),
  book([[2999.9, 1]], []),
  trade(3000, 0.5, 'sell'),
  mark(3000, -0.0002),
  mark(3000, 0),
];

const BAD: ReadonlyArray<readonly [string, MarketEvent, string]> = [
  ['null', raw(null), 'missing or non-finite ts'],
  ['a string', raw('book'), 'missing or non-finite ts'],
  ['a number', raw(42), 'missing or non-finite ts'],
  ['an array', raw([]), 'missing or non-finite ts'],
  ['no ts', raw({ kind: 'mark', mark: { symbol: 'X', markPrice: 1, fundingRate: 0 } }), 'missing or non-finite ts'],
  ['NaN ts', { ...mark(3000), ts: Number.NaN }, 'missing or non-finite ts'],
  ['string ts', raw({ ...mark(3000), ts: '1' }), 'missing or non-finite ts'],
  ['unknown kind', raw({ kind: 'funding', ts: T }), 'unknown event kind'],
  ['missing kind', raw({ ts: T }), 'unknown event kind'],
  ['book without book', raw({ kind: 'book', ts: T }), 'book without symbol'],
  ['book without symbol', raw({ kind: 'book', ts: T, book: { bids: [], asks: [] } }), 'book without symbol'],
  ['bids not an array', raw({ kind: 'book', ts: T, book: { symbol: 'X', bids: 'x', asks: [] } }), 'bids not finite, positive and strictly descending'],
  ['NaN bid price', book([[Number.NaN, 1]], [[3000, 1]]), 'bids not finite, positive and strictly descending'],
  ['zero bid size', book([[2999, 0]], [[3000, 1]]), 'bids not finite, positive and strictly descending'],
  ['negative bid price', book([[-1, 1]], []), 'bids not finite, positive and strictly descending'],
  ['infinite bid size', book([[2999, Number.POSITIVE_INFINITY]], []), 'bids not finite, positive and strictly descending'],
  ['bids ascending', book([[2999, 1], [2999.5, 1]], [[3000, 1]]), 'bids not finite, positive and strictly descending'],
  ['duplicate bid level', book([[2999, 1], [2999, 1]], [[3000, 1]]), 'bids not finite, positive and strictly descending'],
  ['null level', raw({ kind: 'book', ts: T, book: { symbol: 'X', bids: [null], asks: [] } }), 'bids not finite, positive and strictly descending'],
  ['asks descending', book([[2999, 1]], [[3001, 1], [3000, 1]]), 'asks not finite, positive and strictly ascending'],
  ['infinite ask price', book([], [[Number.POSITIVE_INFINITY, 1]]), 'asks not finite, positive and strictly ascending'],
  ['negative ask size', book([], [[3000, -1]]), 'asks not finite, positive and strictly ascending'],
  ['crossed book', book([[3001, 1]], [[3000, 1]]), 'crossed book'],
  ['locked book', book([[3000, 1]], [[3000, 1]]), 'crossed book'],
  ['trade without trade', raw({ kind: 'trade', ts: T }), 'trade without symbol'],
  ['NaN trade price', trade(Number.NaN, 1), 'trade price or size not finite and positive'],
  ['zero trade price', trade(0, 1), 'trade price or size not finite and positive'],
  ['negative trade size', trade(3000, -1), 'trade price or size not finite and positive'],
  ['infinite trade size', trade(3000, Number.POSITIVE_INFINITY), 'trade price or size not finite and positive'],
  ['bad aggressor', trade(3000, 1, 'long'), 'trade aggressor not buy or sell'],
  ['mark without mark', raw({ kind: 'mark', ts: T }), 'mark without symbol'],
  ['zero mark price', mark(0), 'mark price not finite and positive'],
  ['negative mark price', mark(-5), 'mark price not finite and positive'],
  ['NaN mark price', mark(Number.NaN), 'mark price not finite and positive'],
  ['infinite funding', mark(3000, Number.POSITIVE_INFINITY), 'funding rate not finite'],
  ['NaN funding', mark(3000, Number.NaN), 'funding rate not finite'],
];

describe('marketEventProblem', () => {
  it.each(GOOD.map((ev) => [ev.kind, ev] as const))('accepts a sound %s event', (_kind, ev) => {
    expect(marketEventProblem(ev)).toBeNull();
  });

  it.each(BAD)('refuses %s: %s', (_name, ev, reason) => {
    expect(marketEventProblem(ev)).toBe(reason);
  });
});

describe('MarketEventGuard', () => {
  it('passes sound events and drops bad ones, counted by reason', () => {
    const drops: Array<[string, number]> = [];
    const g = new MarketEventGuard((reason, _ev, count) => drops.push([reason, count]));
    for (const ev of GOOD) expect(g.accept(ev)).toBe(true);
    for (const [, ev] of BAD) expect(g.accept(ev)).toBe(false);
    expect(g.dropped).toBe(BAD.length);
    const expected: Record<string, number> = {};
    for (const [, , reason] of BAD) expected[reason] = (expected[reason] ?? 0) + 1;
    expect(g.reasons()).toEqual(expected);
    expect(drops).toHaveLength(BAD.length);
    // The count passed to onDrop is the running count for that reason.
    const crossed = drops.filter(([r]) => r === 'crossed book').map(([, n]) => n);
    expect(crossed).toEqual([1, 2]);
  });

  it('counts an event whose fields throw when read as unreadable, without throwing', () => {
    const g = new MarketEventGuard();
    const hostile = raw({
      ts: T,
      get kind(): string {
        throw new Error('boom');
      },
    });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(g.accept(hostile)).toBe(false);
    expect(g.accept(raw(revoked.proxy))).toBe(false);
    expect(g.reasons()).toEqual({ 'unreadable event': 2 });
  });

  it('starts empty and works without an onDrop', () => {
    const g = new MarketEventGuard();
    expect(g.dropped).toBe(0);
    expect(g.reasons()).toEqual({});
    expect(g.accept(raw(undefined))).toBe(false);
    expect(g.dropped).toBe(1);
  });

  it('never throws on arbitrary garbage, and counts every drop (property)', () => {
    const g = new MarketEventGuard();
    let rejected = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({ kind: fc.constantFrom('book', 'trade', 'mark', 'other'), ts: fc.anything(), book: fc.anything(), trade: fc.anything(), mark: fc.anything() }),
        ),
        (v) => {
          let ok = true;
          expect(() => {
            ok = g.accept(raw(v));
          }).not.toThrow();
          if (!ok) rejected++;
        },
      ),
      { numRuns: 2000 },
    );
    expect(g.dropped).toBe(rejected);
    expect(Object.values(g.reasons()).reduce((s, n) => s + n, 0)).toBe(rejected);
  });
});
