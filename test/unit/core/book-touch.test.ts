import { describe, expect, it } from 'vitest';
import { bestAsk, bestBid, type TouchBook } from '../../../src/core/book-touch.js';
import type { Book } from '../../../src/core/types.js';

const plain: Book = { symbol: 'X', ts: 1, seq: 1, bids: [{ price: 99, size: 1 }, { price: 98, size: 2 }], asks: [{ price: 101, size: 1 }] };

describe('bestBid / bestAsk', () => {
  it('read the first level of a plain book, undefined on an empty side', () => {
    expect([bestBid(plain), bestAsk(plain)]).toEqual([99, 101]);
    expect(bestAsk({ ...plain, asks: [] })).toBeUndefined();
  });

  it('ask a book that knows its touch, without reading its levels', () => {
    const levels = (): never => {
      throw new Error('levels read');
    };
    const touch: TouchBook = {
      symbol: 'X',
      ts: 1,
      seq: 1,
      get bids() {
        return levels();
      },
      get asks() {
        return levels();
      },
      bestBid: 99.5,
      bestAsk: undefined,
    };
    expect([bestBid(touch), bestAsk(touch)]).toEqual([99.5, undefined]);
  });
});
