import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes, InputError } from '../../../src/core/errors.js';
import { exitBrainConfigSchema } from '../../../src/exits/exit-config.js';
import { computeExitLevels, leverageScalingFactor, type ExitLevelsInput } from '../../../src/exits/exit-levels.js';
import { applyExitFailSafes } from '../../../src/exits/exit-fail-safes.js';
import { pnlAdjustmentFactor } from '../../../src/exits/pnl-adjustment.js';
import { selectHarvestScheme } from '../../../src/exits/harvest-scheme.js';

const defaults = exitBrainConfigSchema.parse({});
const normal: ExitLevelsInput = { leverage: 10, volatilityFactor: 1, confidence: 0.75, avgPnlLast20: null };

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

/** Any valid input: leverage up to just under 800× (above it no stop fits in [0.1%, 0.8/leverage)). */
const validInput = fc.record({
  leverage: fc.double({ min: 0.01, max: 799.9, noNaN: true }),
  volatilityFactor: fc.double({ min: 0, max: 50, noNaN: true }),
  confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  avgPnlLast20: fc.option(fc.double({ min: -5, max: 5, noNaN: true }), { nil: null }),
});

describe('computeExitLevels invariants (property)', () => {
  it('levels ordered, SL in [0.1%, 2%] and below 0.8/leverage, scheme sums to 1, adjustment in [0.8, 1.2]', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const r = computeExitLevels(input);
        expect(r.tp1).toBeLessThan(r.tp2);
        expect(r.tp2).toBeLessThan(r.tp3);
        expect(r.sl).toBeGreaterThanOrEqual(0.001);
        expect(r.sl).toBeLessThanOrEqual(0.02);
        expect(r.sl).toBeLessThan(0.8 / input.leverage);
        const [a, b, c] = r.harvestScheme.fractions;
        expect(Math.abs(a + b + c - 1)).toBeLessThanOrEqual(1e-12);
        expect(r.adjustment).toBeGreaterThanOrEqual(0.8);
        expect(r.adjustment).toBeLessThanOrEqual(1.2);
        // The formulas keep TP1 < TP2 < TP3 for every LSF in (0, 1), and the clamps always fit
        // (leverage < 800): with valid input the fail-safes never fall back.
        expect(r.fallback).toBe(false);
        expect(r.mode).toBe('adaptive');
        // The stop moves only when a clamp says so; TPs are never touched.
        const s = r.steps;
        if (s === null) throw new Error('adaptive steps expected');
        expect([r.tp1, r.tp2, r.tp3]).toEqual([s.afterPnl.tp1, s.afterPnl.tp2, s.afterPnl.tp3]);
        if (r.stopClamp === null) expect(r.sl).toBe(s.afterPnl.sl);
        else expect(r.sl).not.toBe(s.afterPnl.sl);
      }),
      { numRuns: 2_000 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        expect(computeExitLevels(input)).toEqual(computeExitLevels(input));
      }),
    );
  });

  it('LSF = 1 / (1 + ln(leverage + 1)) falls as leverage rises', () => {
    expect(leverageScalingFactor(1)).toBeCloseTo(1 / (1 + Math.log(2)), 15);
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1000, noNaN: true }), fc.double({ min: 0.01, max: 1000, noNaN: true }), (x, y) => {
        fc.pre(x < y);
        expect(leverageScalingFactor(x)).toBeGreaterThanOrEqual(leverageScalingFactor(y));
        if (y > x * 1.001) expect(leverageScalingFactor(x)).toBeGreaterThan(leverageScalingFactor(y));
      }),
    );
  });
});

describe('fail-safes', () => {
  it('caps the stop strictly below 80% of the liquidation distance (100×: 0.8%)', () => {
    const r = computeExitLevels({ ...normal, leverage: 100 });
    expect(r.steps?.afterPnl.sl).toBeGreaterThan(0.008);
    expect(r.stopClamp).toBe('liquidation');
    expect(r.sl).toBeLessThan(0.008);
    expect(r.sl).toBeCloseTo(0.008, 12);
    expect(r.fallback).toBe(false);
  });

  it('clamps the stop to the 2% ceiling', () => {
    const r = computeExitLevels({ ...normal, leverage: 1, volatilityFactor: 20 });
    expect(r.stopClamp).toBe('ceiling');
    expect(r.sl).toBe(0.02);
  });

  it('clamps the stop to the configured floor', () => {
    const config = exitBrainConfigSchema.parse({ slMin: 0.009, staticLevels: { sl: 0.01 } });
    const r = computeExitLevels({ ...normal, volatilityFactor: 0 }, config);
    expect(r.steps?.afterPnl.sl).toBeLessThan(0.009);
    expect(r.stopClamp).toBe('floor');
    expect(r.sl).toBe(0.009);
  });

  it('falls back to the static v3 levels when TP1 < TP2 < TP3 fails', () => {
    const r = applyExitFailSafes({ tp1: 0.02, tp2: 0.015, tp3: 0.03, sl: 0.005 }, 10, defaults);
    expect(r.fallbackReason).toBe('tp-order');
    expect(r.levels).toEqual({ tp1: 0.01, tp2: 0.015, tp3: 0.02, sl: 0.005 });
  });

  it.each([
    ['NaN TP', { tp1: Number.NaN, tp2: 0.02, tp3: 0.03, sl: 0.005 }, 'tp-order'],
    ['infinite TP3', { tp1: 0.01, tp2: 0.02, tp3: Number.POSITIVE_INFINITY, sl: 0.005 }, 'tp-order'],
    ['zero TP1', { tp1: 0, tp2: 0.02, tp3: 0.03, sl: 0.005 }, 'tp-order'],
    ['NaN SL', { tp1: 0.01, tp2: 0.02, tp3: 0.03, sl: Number.NaN }, 'sl-invalid'],
  ])('falls back on %s', (_name, raw, reason) => {
    expect(applyExitFailSafes(raw, 10, defaults).fallbackReason).toBe(reason);
  });

  it("caps the static fallback's stop by the liquidation distance too (200×: 0.4%)", () => {
    const r = applyExitFailSafes({ tp1: 0.03, tp2: 0.02, tp3: 0.01, sl: 0.005 }, 200, defaults);
    expect(r.stopClamp).toBe('liquidation');
    expect(r.levels.sl).toBeLessThan(0.004);
  });

  it('keeps valid levels and reports no fallback', () => {
    const raw = { tp1: 0.01, tp2: 0.02, tp3: 0.03, sl: 0.005 };
    expect(applyExitFailSafes(raw, 10, defaults)).toEqual({ levels: raw, stopClamp: null, fallbackReason: null });
  });
});

describe('PnL adjustment (ruling 5)', () => {
  const p = defaults.pnlAdjustment;
  it.each([
    [null, 0.75, 1],
    [null, 0.4, 0.95],
    [0, 0.75, 1],
    [-0.0001, 0.75, 0.9],
    [0.15, 0.75, 1],
    [0.3, 0.75, 1],
    [0.3001, 0.75, 1.1],
    [-0.05, 0.4, 0.9 * 0.95],
    [0.5, 0.4, 1.1 * 0.95],
    [0.5, 0.5, 1.1],
  ])('avg PnL %s, confidence %s → %s', (avg, confidence, factor) => {
    expect(pnlAdjustmentFactor(avg, confidence, p)).toBeCloseTo(factor, 15);
  });

  it('clamps to [min, max]', () => {
    const wide = { ...p, lossFactor: 0.5, profitFactor: 1.5 };
    expect(pnlAdjustmentFactor(-1, 0.9, wide)).toBe(0.8);
    expect(pnlAdjustmentFactor(1, 0.9, wide)).toBe(1.2);
  });

  it('multiplies TP1–TP3 and SL alike', () => {
    const r = computeExitLevels({ ...normal, avgPnlLast20: -0.01 });
    const s = r.steps;
    if (s === null) throw new Error('adaptive steps expected');
    for (const k of ['tp1', 'tp2', 'tp3', 'sl'] as const) expect(r[k]).toBeCloseTo(s.afterVolatility[k] * 0.9, 15);
  });
});

describe('harvest scheme by leverage band', () => {
  it.each([
    [1, 'conservative', [0.3, 0.3, 0.4]],
    [10, 'conservative', [0.3, 0.3, 0.4]],
    [10.5, 'aggressive', [0.4, 0.4, 0.2]],
    [30, 'aggressive', [0.4, 0.4, 0.2]],
    [30.01, 'ultra-aggressive', [0.5, 0.3, 0.2]],
    [100, 'ultra-aggressive', [0.5, 0.3, 0.2]],
  ])('%s× → %s', (leverage, name, fractions) => {
    expect(selectHarvestScheme(leverage, defaults.harvest)).toEqual({ name, fractions });
  });
});

describe('ADAPTIVE_LEVERAGE_ENABLED off', () => {
  const off = exitBrainConfigSchema.parse({ enabled: false });

  it('returns the static v3 levels with the band scheme, flagged static, not a fallback', () => {
    const r = computeExitLevels({ leverage: 20, volatilityFactor: 3, confidence: 0.1, avgPnlLast20: -0.2 }, off);
    expect(r).toMatchObject({ tp1: 0.01, tp2: 0.015, tp3: 0.02, sl: 0.005, mode: 'static', adjustment: 1 });
    expect(r.fallback).toBe(false);
    expect(r.steps).toBeNull();
    expect(r.harvestScheme.name).toBe('aggressive');
  });

  it('still keeps the stop below 80% of the liquidation distance', () => {
    const r = computeExitLevels({ ...normal, leverage: 400 }, off);
    expect(r.stopClamp).toBe('liquidation');
    expect(r.sl).toBeLessThan(0.002);
  });

  it('still rejects bad input', () => {
    expect(() => computeExitLevels({ ...normal, leverage: Number.NaN }, off)).toThrow(InputError);
  });
});

describe('bad input', () => {
  it.each([
    ['leverage', { leverage: 0 }],
    ['leverage', { leverage: -5 }],
    ['leverage', { leverage: Number.NaN }],
    ['leverage', { leverage: Number.POSITIVE_INFINITY }],
    ['leverage', { leverage: 800 }],
    ['volatilityFactor', { volatilityFactor: Number.NaN }],
    ['volatilityFactor', { volatilityFactor: -0.1 }],
    ['volatilityFactor', { volatilityFactor: Number.POSITIVE_INFINITY }],
    ['confidence', { confidence: Number.NaN }],
    ['confidence', { confidence: -0.01 }],
    ['confidence', { confidence: 1.01 }],
    ['avgPnlLast20', { avgPnlLast20: Number.NaN }],
    ['avgPnlLast20', { avgPnlLast20: Number.NEGATIVE_INFINITY }],
  ])('%s: %o throws E_INPUT_INVALID naming the field', (field, patch) => {
    const e = thrown(() => computeExitLevels({ ...normal, ...patch }));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).code).toBe(ErrorCodes.INPUT_INVALID);
    expect((e as InputError).field).toBe(field);
  });

  it('accepts the edges: confidence 0 and 1, volatility 0, leverage just under 800×', () => {
    for (const patch of [{ confidence: 0 }, { confidence: 1 }, { volatilityFactor: 0 }, { leverage: 799.99 }]) {
      expect(() => computeExitLevels({ ...normal, ...patch })).not.toThrow();
    }
  });
});
