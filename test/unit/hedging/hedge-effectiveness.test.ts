import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.js';
import { HedgeEffectivenessTracker, hedgeEffectiveness } from '../../../src/hedging/hedge-effectiveness.js';
import { errorCode } from '../error-code.js';

describe('hedgeEffectiveness', () => {
  it.each([
    // before, after, ratio: (|before| − |after|) / |before|, clamped to [0, 1]
    [1_000, 0, 1],
    [1_000, 250, 0.75],
    [-1_000, -400, 0.6],
    [1_000, -200, 0.8], // an overshoot counts as remaining deviation
    [1_000, 1_500, 0], // worse: 0, not negative
    [0, 0, 1],
    [0, 10, 0],
  ])('before %s, after %s → %s', (deltaBefore, deltaAfter, ratio) => {
    expect(hedgeEffectiveness({ deltaBefore, deltaAfter }).ratio).toBeCloseTo(ratio, 12);
  });

  it('measures against the target', () => {
    // target 500: before 1,500 → dev 1,000; after 600 → dev 100 → 0.9.
    expect(hedgeEffectiveness({ deltaBefore: 1_500, deltaAfter: 600, target: 500 }).ratio).toBeCloseTo(0.9, 12);
  });

  it('PnL offset: 1 − |hedged| / |unhedged|, clamped', () => {
    expect(hedgeEffectiveness({ deltaBefore: 1, deltaAfter: 0, pnlHedged: -20, pnlUnhedged: -200 }).pnlOffset).toBeCloseTo(0.9, 12);
    expect(hedgeEffectiveness({ deltaBefore: 1, deltaAfter: 0, pnlHedged: 300, pnlUnhedged: -200 }).pnlOffset).toBe(0);
    expect(hedgeEffectiveness({ deltaBefore: 1, deltaAfter: 0 }).pnlOffset).toBeNull();
  });

  it.each([
    ['NaN delta', { deltaBefore: Number.NaN, deltaAfter: 0 }],
    ['one PnL only', { deltaBefore: 1, deltaAfter: 0, pnlHedged: 1 }],
  ])('%s → InputError', (_name, input) => {
    expect(errorCode(() => hedgeEffectiveness(input))).toBe(ErrorCodes.INPUT_INVALID);
  });
});

describe('HedgeEffectivenessTracker', () => {
  it('keeps a rolling mean over its window', () => {
    const t = new HedgeEffectivenessTracker({ window: 3 });
    expect(t.mean()).toBeNull();
    expect(t.last()).toBeNull();
    for (const x of [1, 0.5, 0, 0.9]) t.record(x);
    // window keeps 0.5, 0, 0.9 → 1.4 / 3
    expect(t.count).toBe(3);
    expect(t.mean()).toBeCloseTo(1.4 / 3, 12);
    expect(t.last()).toBe(0.9);
  });

  it('rejects bad windows and ratios', () => {
    expect(errorCode(() => new HedgeEffectivenessTracker({ window: 0 }))).toBe(ErrorCodes.INPUT_INVALID);
    expect(errorCode(() => new HedgeEffectivenessTracker().record(1.5))).toBe(ErrorCodes.INPUT_INVALID);
    expect(errorCode(() => new HedgeEffectivenessTracker().record(Number.NaN))).toBe(ErrorCodes.INPUT_INVALID);
  });
});
