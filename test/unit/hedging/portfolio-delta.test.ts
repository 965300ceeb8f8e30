import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.js';
import { portfolioDelta, portfolioDeltaUsd } from '../../../src/hedging/portfolio-delta.js';
import { errorCode } from '../error-code.js';

const book = [
  { symbol: 'ETH-PERP', size: 10, mark: 2_000 },
  { symbol: 'SOL-PERP', size: -190, mark: 100 },
];

describe('portfolioDelta', () => {
  it('notional delta: Σ size × mark', () => {
    // 10 × 2,000 − 190 × 100 = 20,000 − 19,000 = +1,000; gross 39,000.
    const d = portfolioDelta({ positions: book, betaAdjusted: false });
    expect(d.deltaUsd).toBeCloseTo(1_000, 9);
    expect(d.grossUsd).toBeCloseTo(39_000, 9);
    expect(d.contributions).toEqual([
      { symbol: 'ETH-PERP', notionalUsd: 20_000, beta: 1, deltaUsd: 20_000 },
      { symbol: 'SOL-PERP', notionalUsd: -19_000, beta: 1, deltaUsd: -19_000 },
    ]);
  });

  it('beta-adjusted: Σ size × mark × beta (betas ignored when off)', () => {
    // 20,000 × 1 − 19,000 × 1.2 = 20,000 − 22,800 = −2,800.
    const betas = { 'ETH-PERP': 1, 'SOL-PERP': 1.2 };
    expect(portfolioDelta({ positions: book, betas, betaAdjusted: true }).deltaUsd).toBeCloseTo(-2_800, 9);
    expect(portfolioDelta({ positions: book, betas, betaAdjusted: false }).deltaUsd).toBeCloseTo(1_000, 9);
    expect(portfolioDelta({ positions: [], betaAdjusted: true })).toEqual({ deltaUsd: 0, grossUsd: 0, contributions: [] });
  });

  it.each([
    ['missing beta', () => portfolioDelta({ positions: book, betas: { 'ETH-PERP': 1 }, betaAdjusted: true })],
    ['zero beta', () => portfolioDelta({ positions: book, betas: { 'ETH-PERP': 1, 'SOL-PERP': 0 }, betaAdjusted: true })],
    ['NaN size', () => portfolioDelta({ positions: [{ symbol: 'X', size: Number.NaN, mark: 1 }], betaAdjusted: false })],
    ['zero mark', () => portfolioDelta({ positions: [{ symbol: 'X', size: 1, mark: 0 }], betaAdjusted: false })],
    [
      'duplicate symbol',
      () =>
        portfolioDelta({
          positions: [
            { symbol: 'X', size: 1, mark: 1 },
            { symbol: 'X', size: 2, mark: 1 },
          ],
          betaAdjusted: false,
        }),
    ],
  ])('%s → InputError', (_name, fn) => {
    expect(errorCode(fn)).toBe(ErrorCodes.INPUT_INVALID);
  });
});

describe('portfolioDeltaUsd', () => {
  /** What a call gives: its value, or the error it throws (field and message). */
  const outcome = (f: () => number): number | string => {
    try {
      return f();
    } catch (err) {
      return `${(err as { code?: string }).code ?? ''} ${String(err)}`;
    }
  };

  it('is portfolioDelta(...).deltaUsd to the bit, and throws the same error first, for any book (bad ones too)', () => {
    const symbol = fc.oneof(fc.constantFrom('ETH-PERP', 'SOL-PERP', 'BTC-PERP', ''), fc.string({ maxLength: 3 }));
    const num = fc.oneof(fc.double({ min: -1e6, max: 1e6 }), fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, -1));
    const position = fc.record({ symbol, size: num, mark: num });
    const betas = fc.option(fc.dictionary(fc.constantFrom('ETH-PERP', 'SOL-PERP', 'BTC-PERP'), fc.oneof(fc.double({ min: 0.1, max: 3, noNaN: true }), fc.constantFrom(0, -1, Number.NaN))), { nil: undefined });
    fc.assert(
      fc.property(fc.array(position, { maxLength: 5 }), fc.boolean(), betas, (positions, betaAdjusted, b) => {
        const full = outcome(() => portfolioDelta({ positions, betaAdjusted, ...(b === undefined ? {} : { betas: b }) }).deltaUsd);
        expect(outcome(() => portfolioDeltaUsd(positions, betaAdjusted, b))).toStrictEqual(full);
      }),
      { numRuns: 2_000 },
    );
  });
});
