import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/core/errors.js';
import type { MarginPosition } from '../../../src/risk/liquidation-margin.js';
import { liquidationPrices } from '../../../src/risk/liquidation-prices.js';
import { errorCode } from '../error-code.js';

/** equity(p) − MM(p) when position k moves to p and every other mark stays. */
function excessAt(equity: number, positions: readonly MarginPosition[], k: number, p: number): { equity: number; mm: number } {
  let mm = 0;
  let eq = equity;
  positions.forEach((x, j) => {
    const price = j === k ? p : x.mark;
    if (j === k) eq += x.size * (p - x.mark);
    mm += Math.abs(x.size) * price * x.maintenanceMarginRatio;
  });
  return { equity: eq, mm };
}

const pos = (symbol: string, size: number, mark: number, mmr = 0.05): MarginPosition => ({ symbol, size, mark, maintenanceMarginRatio: mmr });

describe('liquidationPrices', () => {
  it('a single long', () => {
    // E = 1,000, long 1 @ 2,000, r = 5%: p* = (q·m − E) / (q·(1 − r)) = (2,000 − 1,000) / 0.95 = 1,052.6316.
    // Check: equity = 1,000 + (1,052.63 − 2,000) = 52.63; MM = 1,052.63 × 0.05 = 52.63.
    const [r] = liquidationPrices({ equity: 1_000, positions: [pos('ETH-PERP', 1, 2_000)] });
    expect(r?.status).toBe('at_risk');
    expect(r?.direction).toBe('down');
    expect(r?.price).toBeCloseTo(1_000 / 0.95, 9);
    expect(r?.distanceFraction).toBeCloseTo((2_000 - 1_000 / 0.95) / 2_000, 12);
    const at = excessAt(1_000, [pos('ETH-PERP', 1, 2_000)], 0, r?.price as number);
    expect(at.equity).toBeCloseTo(at.mm, 9);
    expect(at.mm).toBeCloseTo(52.631578947, 6);
  });

  it('a single short', () => {
    // E = 1,000, short 1 @ 2,000, r = 5%: p* = (|q|·m + E) / (|q|·(1 + r)) = 3,000 / 1.05 = 2,857.1429.
    // Check: equity = 1,000 − (2,857.14 − 2,000) = 142.86; MM = 2,857.14 × 0.05 = 142.86.
    const [r] = liquidationPrices({ equity: 1_000, positions: [pos('ETH-PERP', -1, 2_000)] });
    expect(r?.status).toBe('at_risk');
    expect(r?.direction).toBe('up');
    expect(r?.price).toBeCloseTo(3_000 / 1.05, 9);
    expect(r?.distanceFraction).toBeCloseTo(3_000 / 1.05 / 2_000 - 1, 12);
    const at = excessAt(1_000, [pos('ETH-PERP', -1, 2_000)], 0, r?.price as number);
    expect(at.equity).toBeCloseTo(142.857142857, 6);
    expect(at.mm).toBeCloseTo(142.857142857, 6);
  });

  it('a two-leg DN book, the other mark held fixed', () => {
    // E = 5,000; long 10 ETH @ 2,000, short 200 SOL @ 100, r = 5% each; MM = 1,000 + 1,000.
    // ETH: p* = (10·2,000 + 1,000 − 5,000) / (10 · 0.95) = 16,000 / 9.5 = 1,684.2105
    // SOL: p* = (200·100 + 5,000 − 1,000) / (200 · 1.05) = 24,000 / 210 = 114.2857
    //   check SOL: equity = 5,000 − 200·14.2857 = 2,142.86; MM = 1,000 + 200·114.2857·0.05 = 2,142.86.
    const book = [pos('ETH-PERP', 10, 2_000), pos('SOL-PERP', -200, 100)];
    const [eth, sol] = liquidationPrices({ equity: 5_000, positions: book });
    expect(eth?.price).toBeCloseTo(16_000 / 9.5, 9);
    expect(sol?.price).toBeCloseTo(24_000 / 210, 9);
    const at = excessAt(5_000, book, 1, sol?.price as number);
    expect(at.equity).toBeCloseTo(2_142.857142857, 6);
    expect(at.mm).toBeCloseTo(2_142.857142857, 6);
  });

  it('none: a long whose equity covers its notional never liquidates; a flat leg has no price', () => {
    // E = 3,000 ≥ q·m + MM_others = 2,000: the numerator (2,000 − 3,000) is negative.
    const r = liquidationPrices({ equity: 3_000, positions: [pos('ETH-PERP', 1, 2_000), pos('SOL-PERP', 0, 100)] });
    expect(r[0]).toEqual({ symbol: 'ETH-PERP', status: 'none', price: null, distanceFraction: null, direction: 'down' });
    expect(r[1]).toEqual({ symbol: 'SOL-PERP', status: 'none', price: null, distanceFraction: null, direction: null });
  });

  it('breached: equity at or below maintenance gives distance 0', () => {
    // E = 50 < MM = 100: (2,000 − 50) / 0.95 = 2,052.63 lies above the mark (health is restored up there).
    const [r] = liquidationPrices({ equity: 50, positions: [pos('ETH-PERP', 1, 2_000)] });
    expect(r?.status).toBe('breached');
    expect(r?.distanceFraction).toBe(0);
    expect(r?.price).toBeCloseTo(1_950 / 0.95, 9);
  });

  it('substituting p* gives equity = maintenance margin (property)', () => {
    const position = fc.record({
      size: fc.double({ min: -1_000, max: 1_000, noNaN: true }).filter((x) => Math.abs(x) > 1e-3),
      mark: fc.double({ min: 0.01, max: 100_000, noNaN: true }),
      maintenanceMarginRatio: fc.double({ min: 0, max: 0.5, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(position, { minLength: 1, maxLength: 4 }), fc.double({ min: -1e7, max: 1e7, noNaN: true }), (raw, equity) => {
        const book = raw.map((p, k) => ({ ...p, symbol: `S${k}` }));
        liquidationPrices({ equity, positions: book }).forEach((r, k) => {
          if (r.price === null) return;
          const x = book[k] as MarginPosition;
          const at = excessAt(equity, book, k, r.price);
          const scale = Math.abs(equity) + Math.abs(x.size) * (r.price + x.mark) + at.mm;
          expect(Math.abs(at.equity - at.mm)).toBeLessThanOrEqual(1e-6 * scale);
          if (r.status === 'at_risk') {
            // The price is on the adverse side of the mark (up to float rounding).
            expect(x.size > 0 ? r.price <= x.mark * (1 + 1e-12) : r.price >= x.mark * (1 - 1e-12)).toBe(true);
          }
        });
      }),
    );
  });

  it.each([
    ['NaN equity', () => liquidationPrices({ equity: Number.NaN, positions: [] })],
    ['negative MMR', () => liquidationPrices({ equity: 1, positions: [pos('X', 1, 1, -0.05)] })],
    ['zero mark', () => liquidationPrices({ equity: 1, positions: [pos('X', 1, 0)] })],
    ['NaN size', () => liquidationPrices({ equity: 1, positions: [pos('X', Number.NaN, 1)] })],
  ])('%s → InputError', (_name, fn) => {
    expect(errorCode(fn)).toBe(ErrorCodes.INPUT_INVALID);
  });
});
