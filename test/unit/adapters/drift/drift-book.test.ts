import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uncrossBook } from '../../../../adapters/drift/drift-book.js';

const lv = (price: number, size: number) => ({ price, size });

describe('uncrossBook (DLOB grouped books keep crossed levels)', () => {
  it.each([
    ['not crossed: unchanged', [lv(99, 1), lv(98, 1)], [lv(100, 1)], [lv(99, 1), lv(98, 1)], [lv(100, 1)], 0],
    ['a small bid above the best ask eats part of it', [lv(101, 1), lv(99, 5)], [lv(100, 3), lv(102, 1)], [lv(99, 5)], [lv(100, 2), lv(102, 1)], 1],
    ['a touching (equal) level is crossed', [lv(100, 2)], [lv(100, 2), lv(101, 1)], [], [lv(101, 1)], 2],
    ['several levels deep', [lv(103, 1), lv(102, 1), lv(98, 1)], [lv(101, 1.5), lv(104, 1)], [lv(102, 0.5), lv(98, 1)], [lv(104, 1)], 1.5],
  ])('%s', (_n, bids, asks, wantBids, wantAsks, netted) => {
    const r = uncrossBook(bids, asks);
    expect(r.bids).toEqual(wantBids);
    expect(r.asks).toEqual(wantAsks);
    expect(r.nettedSize).toBeCloseTo(netted, 12);
  });

  it('never leaves a crossed book, conserves size per side, and does not touch its input', () => {
    const side = fc.array(fc.record({ price: fc.integer({ min: 1, max: 200 }), size: fc.integer({ min: 1, max: 50 }) }), { maxLength: 8 });
    fc.assert(
      fc.property(side, side, (rb, ra) => {
        const dedupe = (xs: { price: number; size: number }[], desc: boolean) =>
          [...new Map(xs.map((x) => [x.price, x])).values()].sort((a, b) => (desc ? b.price - a.price : a.price - b.price));
        const bids = dedupe(rb, true);
        const asks = dedupe(ra, false);
        const before = JSON.stringify([bids, asks]);
        const r = uncrossBook(bids, asks);
        expect(JSON.stringify([bids, asks])).toBe(before);
        if (r.bids[0] && r.asks[0]) expect(r.bids[0].price).toBeLessThan(r.asks[0].price);
        const sum = (xs: readonly { size: number }[]) => xs.reduce((s, x) => s + x.size, 0);
        expect(sum(r.bids) + r.nettedSize).toBeCloseTo(sum(bids), 9);
        expect(sum(r.asks) + r.nettedSize).toBeCloseTo(sum(asks), 9);
      }),
    );
  });
});
