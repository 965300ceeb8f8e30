import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { checkEachMarginPosition, requireMarginPositions, type MarginPosition } from '../../../src/risk/liquidation-margin.js';

/** The full check alone, returning the book as requireMarginPositions does. */
function reference(positions: readonly MarginPosition[]): readonly MarginPosition[] {
  checkEachMarginPosition(positions);
  return positions;
}

/** What a check does with a book: the array it returns, or the error it throws. */
function outcome(check: (p: readonly MarginPosition[]) => readonly MarginPosition[], positions: readonly MarginPosition[]): unknown {
  try {
    return { returned: check(positions) };
  } catch (err) {
    return { thrown: err instanceof InputError ? { code: err.code, field: err.field, message: err.message } : err };
  }
}

describe('requireMarginPositions', () => {
  // Mostly sound positions, some with one bad field; symbols drawn from a few so duplicates occur.
  const symbol = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('ETH-PERP', 'SOL-PERP', 'BTC-PERP', 'AVAX-PERP', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R') }, { weight: 1, arbitrary: fc.constantFrom('', 7, undefined) });
  const number = (sound: fc.Arbitrary<number>) => fc.oneof({ weight: 12, arbitrary: sound }, { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, -1, 1, 2) });
  const position = fc.record({
    symbol,
    size: number(fc.double({ min: -100, max: 100, noNaN: true })),
    mark: number(fc.double({ min: 0.01, max: 1e5, noNaN: true })),
    maintenanceMarginRatio: number(fc.double({ min: 0, max: 0.99, noNaN: true })),
  }) as fc.Arbitrary<MarginPosition>;
  // Unique sound books, small and past the pairwise search (more than 16 positions).
  const soundBook = fc.uniqueArray(fc.record({ symbol: fc.string({ minLength: 1, maxLength: 4 }), size: fc.double({ noNaN: true, noDefaultInfinity: true }), mark: fc.double({ min: 1e-9, max: 1e9, noNaN: true }), maintenanceMarginRatio: fc.double({ min: 0, max: 0.999, noNaN: true }) }), { selector: (p) => p.symbol, maxLength: 30 });

  it('returns the book or throws the same first error as the full check, whatever the book', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(position, { maxLength: 24 }), soundBook), (book) => {
        expect(outcome(requireMarginPositions, book)).toEqual(outcome(reference, book));
      }),
      { numRuns: 5_000 },
    );
  });
});
