import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sizePair, type PairSizingInput } from '../../../src/sizing/sizing-pipeline.js';
import { isOnGrid } from '../../../src/core/tick-rounding.js';
import { depthWithinSlippage } from '../../../src/core/book-depth.js';
import type { LegSizingInput } from '../../../src/sizing/sizing-pipeline.js';
import { deepLevels, instrument } from './sizing-fixtures.js';

const lot = fc.constantFrom(0.0001, 0.001, 0.01, 0.1, 1);
const positive = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const legArb = (symbol: string): fc.Arbitrary<LegSizingInput> =>
  fc
    .record({
      price: positive(0.01, 100_000),
      lotSize: lot,
      minLots: fc.integer({ min: 1, max: 10 }),
      minNotional: positive(0, 100),
      existingNotional: fc.oneof(fc.constant(0), positive(0, 200_000)),
      depthSize: positive(0.0001, 1e6),
      depthLevels: fc.integer({ min: 0, max: 6 }),
    })
    .map((r) => ({
      instrument: instrument(symbol, { lotSize: r.lotSize, minSize: r.minLots * r.lotSize, minNotional: r.minNotional }),
      price: r.price,
      takeLevels: deepLevels(r.price, r.price * 0.0003, r.depthSize, r.depthLevels),
      existingNotional: r.existingNotional,
    }));

const inputArb: fc.Arbitrary<PairSizingInput> = fc.record({
  baseNotional: positive(1e-6, 1e6),
  collateral: positive(0, 1e6),
  maxLeverage: positive(1e-3, 20),
  safetyFactor: fc.double({ min: 0, max: 1, minExcluded: true, noNaN: true }),
  maxSlippageBps: positive(0, 100),
  long: legArb('A-PERP'),
  short: legArb('B-PERP'),
});

describe('sizePair properties', () => {
  it('no sized leg ever exceeds the leverage cap; sizes are lot multiples ≥ minimums, or the result is a refusal', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const r = sizePair(i);
        if (!r.ok) {
          expect(typeof r.reason).toBe('string');
          expect(r.reason.length).toBeGreaterThan(0);
          return;
        }
        const perLeg = (i.collateral * i.maxLeverage * i.safetyFactor) / 2;
        for (const [input, out] of [
          [i.long, r.long],
          [i.short, r.short],
        ] as const) {
          const inst = input.instrument;
          const notional = out.size * input.price;
          // Lot rounding may absorb float dust (≤ 1e-9 lot + 1e-12 relative, see tick-rounding);
          // beyond that, no leg may exceed any cap.
          const within = (cap: number): number => cap * (1 + 2e-12) + 2e-9 * inst.lotSize * input.price;
          expect(notional).toBeLessThanOrEqual(within(perLeg));
          expect(notional + input.existingNotional).toBeLessThanOrEqual(within(perLeg) + perLeg * 1e-15);
          expect(notional).toBeLessThanOrEqual(within(i.baseNotional));
          expect(notional).toBeLessThanOrEqual(within(depthWithinSlippage(input.takeLevels, i.maxSlippageBps)));
          expect(Number.isFinite(out.size)).toBe(true);
          expect(isOnGrid(out.size, inst.lotSize)).toBe(true);
          expect(out.size).toBeGreaterThanOrEqual(inst.minSize);
          expect(out.notional).toBeGreaterThanOrEqual(inst.minNotional);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('is pure: the same input gives the same output', () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        expect(sizePair(i)).toEqual(sizePair(i));
      }),
      { numRuns: 200 },
    );
  });

  it('never lets more collateral shrink the size (monotone in collateral)', () => {
    fc.assert(
      fc.property(inputArb, positive(0, 1e6), (i, extra) => {
        const a = sizePair(i);
        const b = sizePair({ ...i, collateral: i.collateral + extra });
        if (a.ok) {
          expect(b.ok).toBe(true);
          if (b.ok) expect(b.notional).toBeGreaterThanOrEqual(a.notional);
        }
      }),
      { numRuns: 500 },
    );
  });
});
