import { describe, expect, it } from 'vitest';
import { depthWithinSlippage } from '../../../src/core/book-depth.js';
import type { BookLevel } from '../../../src/core/types.js';

const lv = (pairs: Array<[number, number]>): BookLevel[] => pairs.map(([price, size]) => ({ price, size }));

describe('depthWithinSlippage', () => {
  it.each<[string, BookLevel[], number, number]>([
    ['empty book', [], 10, 0],
    ['only the touch within 0 bps', lv([[100, 2], [100.01, 5]]), 0, 200],
    // 10 bps of 100 = 0.10: 100, 100.05 and 100.10 count, 100.11 does not
    ['asks up to the band edge', lv([[100, 1], [100.05, 1], [100.1, 1], [100.11, 50]]), 10, 100 + 100.05 + 100.1],
    ['bids down to the band edge', lv([[100, 1], [99.95, 2], [99.9, 1], [99.89, 50]]), 10, 100 + 199.9 + 99.9],
    ['wide band takes everything', lv([[3000, 0.5], [3010, 0.5]]), 500, 1500 + 1505],
  ])('%s', (_name, levels, bps, expected) => {
    expect(depthWithinSlippage(levels, bps)).toBeCloseTo(expected, 6);
  });
});
