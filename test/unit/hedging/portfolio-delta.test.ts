import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.js';
import { portfolioDelta } from '../../../src/hedging/portfolio-delta.js';
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
