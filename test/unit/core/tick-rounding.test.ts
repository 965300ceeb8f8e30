import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ceilSteps,
  floorSteps,
  isOnGrid,
  roundDown,
  roundNearest,
  roundPriceForSide,
  roundUp,
  stepDecimals,
} from '../../../src/core/tick-rounding.js';

describe('stepDecimals', () => {
  it.each([
    [0.01, 2],
    [0.0005, 4],
    [5, 0],
    [1, 0],
    [0.1, 1],
    [0.25, 2],
    [1e-8, 8],
  ])('stepDecimals(%s) = %s', (step, d) => {
    expect(stepDecimals(step)).toBe(d);
  });

  it.each([0, -0.01, Number.NaN, Number.POSITIVE_INFINITY])('refuses step %s', (step) => {
    expect(() => stepDecimals(step)).toThrow(RangeError);
  });
});

describe('roundDown / roundUp / roundNearest (table)', () => {
  it.each([
    // value, step, down, up, nearest
    [0.3, 0.1, 0.3, 0.3, 0.3],
    [0.7, 0.1, 0.7, 0.7, 0.7],
    [1.23456, 0.01, 1.23, 1.24, 1.23],
    [1.235, 0.001, 1.235, 1.235, 1.235],
    [3000.006, 0.01, 3000, 3000.01, 3000.01],
    [17, 5, 15, 20, 15],
    [0, 0.001, 0, 0, 0],
    [0.0004, 0.001, 0, 0.001, 0],
    [2.675, 0.25, 2.5, 2.75, 2.75],
    [-1.23, 0.1, -1.3, -1.2, -1.2],
  ])('value %s step %s → down %s, up %s, nearest %s', (value, step, down, up, nearest) => {
    expect(roundDown(value, step)).toBe(down);
    expect(roundUp(value, step)).toBe(up);
    expect(roundNearest(value, step)).toBe(nearest);
  });

  it.each([
    // value, step, floor steps, ceil steps
    [0.3, 0.1, 3, 3],
    [1.23456, 0.01, 123, 124],
    [0.7 * 3, 0.1, 21, 21],
    [-1.23, 0.1, -13, -12],
    [17, 5, 3, 4],
  ])('value %s step %s → %s steps down, %s up', (value, step, down, up) => {
    expect(floorSteps(value, step)).toBe(down);
    expect(ceilSteps(value, step)).toBe(up);
  });

  it('roundDown and roundUp are floorSteps and ceilSteps whole steps (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(0.0001, 0.001, 0.01, 0.1, 0.25, 1, 5), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (step, v) => {
        const d = stepDecimals(step);
        return (
          roundDown(v, step) === Number((floorSteps(v, step) * step).toFixed(d)) + 0 &&
          roundUp(v, step) === Number((ceilSteps(v, step) * step).toFixed(d)) + 0
        );
      }),
    );
  });

  it('prints results without float dust', () => {
    expect(String(roundDown(0.1 + 0.2, 0.1))).toBe('0.3');
    expect(String(roundUp(1.1 * 3, 0.01))).toBe('3.3');
    expect(String(roundDown(123.456789, 0.0001))).toBe('123.4567');
  });

  it.each([
    // Float dust from arithmetic is absorbed (tolerance 1e-9 steps + 1e-12 relative)...
    [0.7 * 3, 0.1, 2.1, 2.1],
    [0.1 * 3, 0.1, 0.3, 0.3],
    [4.35 * 100, 1, 435, 435],
    // ...but a value a real fraction of a step off the grid is not: no crossing.
    [0.2999999, 0.1, 0.2, 0.3],
    [0.3000001, 0.1, 0.3, 0.4],
    [99.9999, 1, 99, 100],
    [100.0001, 1, 100, 101],
  ])('value %s step %s: down %s, up %s', (value, step, down, up) => {
    expect(roundDown(value, step)).toBe(down);
    expect(roundUp(value, step)).toBe(up);
  });

  it('stays exact for large step counts (relative tolerance)', () => {
    expect(roundDown(123_456_789.123, 0.001)).toBe(123_456_789.123);
    expect(roundUp(123_456_789.123, 0.001)).toBe(123_456_789.123);
    expect(roundDown(123_456_789.1235, 0.001)).toBe(123_456_789.123);
    expect(roundUp(123_456_789.1235, 0.001)).toBe(123_456_789.124);
  });
});

describe('roundPriceForSide', () => {
  it.each([
    [3000.017, 0.01, 'buy', 3000.01],
    [3000.017, 0.01, 'sell', 3000.02],
    [150.0, 0.001, 'buy', 150],
    [150.0, 0.001, 'sell', 150],
  ] as const)('%s tick %s %s → %s (never more aggressive)', (price, tick, side, out) => {
    expect(roundPriceForSide(price, tick, side)).toBe(out);
  });
});

describe('isOnGrid', () => {
  it.each([
    [0.3, 0.1, true],
    [0.35, 0.1, false],
    [3000.01, 0.01, true],
    [3000.015, 0.01, false],
    [15, 5, true],
    [0, 0.001, true],
  ])('isOnGrid(%s, %s) = %s', (v, s, expected) => {
    expect(isOnGrid(v, s)).toBe(expected);
  });
});

const steps = fc.constantFrom(0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 5, 10);
const plainValues = fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true });
/** Values within float-dust distance of a grid point, where rounding mistakes live. */
const nearGrid = fc
  .tuple(steps, fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(-1e-7, -1e-9, -1e-12, 0, 1e-12, 1e-9, 1e-7))
  .map(([step, k, rel]) => ({ step, value: k * step * (1 + rel) + rel * step }));
/**
 * How far a result may sit on the wrong side of its input: the documented float-dust tolerance
 * (1e-9 steps + 1e-12 of the step count), plus one ulp of the printed result.
 */
const slack = (value: number, step: number): number => step * (1e-9 + Math.abs(value / step) * 1e-12) + Math.abs(value) * 2.3e-16;

const cases = fc.oneof(
  fc.record({ step: steps, value: plainValues }),
  nearGrid,
);

describe('rounding properties (never crossing the input beyond the float-dust tolerance)', () => {
  it('roundDown is on the grid, ≤ value, and the largest such multiple', () => {
    fc.assert(
      fc.property(cases, ({ step, value }) => {
        const r = roundDown(value, step);
        expect(isOnGrid(r, step)).toBe(true);
        expect(r).toBeLessThanOrEqual(value + slack(value, step));
        expect(r + step).toBeGreaterThan(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('roundUp is on the grid, ≥ value, and the smallest such multiple', () => {
    fc.assert(
      fc.property(cases, ({ step, value }) => {
        const r = roundUp(value, step);
        expect(isOnGrid(r, step)).toBe(true);
        expect(r).toBeGreaterThanOrEqual(value - slack(value, step));
        expect(r - step).toBeLessThan(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('roundDown ≤ roundNearest ≤ roundUp, and grid values are fixed points', () => {
    fc.assert(
      fc.property(cases, ({ step, value }) => {
        const d = roundDown(value, step);
        const u = roundUp(value, step);
        const n = roundNearest(value, step);
        expect(d).toBeLessThanOrEqual(n);
        expect(n).toBeLessThanOrEqual(u);
        expect(roundDown(d, step)).toBe(d);
        expect(roundUp(u, step)).toBe(u);
      }),
      { numRuns: 1000 },
    );
  });
});

/** The rounding as it was before the grid of the last steps was kept: the decimals looked up on every call. */
function referenceFromSteps(steps: number, step: number): number {
  const scale = 10 ** stepDecimals(step);
  return Math.round(steps * Math.round(step * scale)) / scale + 0;
}
const reference = {
  roundDown: (v: number, s: number): number => referenceFromSteps(floorSteps(v, s), s),
  roundUp: (v: number, s: number): number => referenceFromSteps(ceilSteps(v, s), s),
  roundNearest: (v: number, s: number): number => referenceFromSteps(Math.round(v / s), s),
};

describe('rounding over alternating steps (the last two steps kept)', () => {
  it('gives the same double as looking the decimals up on every call, whatever the order of steps (property)', () => {
    const step = fc.oneof(
      fc.constantFrom(0.01, 0.001, 0.1, 1, 5, 0.0005, 0.25, 1e-8, 100, 0.5),
      fc.integer({ min: 1, max: 10_000 }).map((n) => n / 1000),
      fc.double({ min: 1e-9, max: 1e4, noNaN: true }),
    );
    const call = fc.tuple(fc.constantFrom('roundDown', 'roundUp', 'roundNearest') as fc.Arbitrary<keyof typeof reference>, fc.double({ min: -1e7, max: 1e7, noNaN: true }), fc.nat(3));
    const fns = { roundDown, roundUp, roundNearest };
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 4 }), fc.array(call, { minLength: 1, maxLength: 40 }), (steps, calls) => {
        for (const [fn, value, k] of calls) {
          const s = steps[k % steps.length]!;
          expect(Object.is(fns[fn](value, s), reference[fn](value, s))).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('still refuses a bad step right after good ones, and rounds the good ones alike after it', () => {
    expect(roundDown(1.234, 0.01)).toBe(1.23);
    expect(roundUp(1.234, 0.001)).toBe(1.234);
    for (const bad of [0, -0.01, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => roundNearest(1, bad)).toThrow(RangeError);
    expect(roundDown(1.239, 0.01)).toBe(1.23);
    expect(roundNearest(1.2345, 0.001)).toBe(reference.roundNearest(1.2345, 0.001));
  });
});
