import { describe, expect, it } from 'vitest';
import { computeExitLevels, type ExitLevels } from '../../../src/exits/exit-levels.js';

/**
 * Seed 004's worked Examples 1 and 2, every printed figure. Expected values are copied from the
 * seed text. Ruling 5: the seed rounded its intermediates (LSF 0.294, …), so percentages match
 * within 0.002 percentage points and the LSF terms (printed to 3 decimals from a rounded LSF)
 * within 0.001.
 */
const PP = 0.002;
const expectPct = (fraction: number, printedPct: number): void => {
  expect(Math.abs(fraction * 100 - printedPct)).toBeLessThanOrEqual(PP);
};
const expectLsfTerm = (value: number, printed: number): void => {
  expect(Math.abs(value - printed)).toBeLessThanOrEqual(0.001);
};
const steps = (r: ExitLevels) => {
  if (r.steps === null) throw new Error('expected adaptive steps');
  return r.steps;
};

describe('seed 004 Example 1: conservative (10×, volatility 1.0, confidence 0.75, avg PnL +0.15)', () => {
  const r = computeExitLevels({ leverage: 10, volatilityFactor: 1.0, confidence: 0.75, avgPnlLast20: 0.15 });
  const s = steps(r);

  it('LSF = 1 / (1 + ln(11)) = 0.294', () => {
    expectLsfTerm(r.lsf, 0.294);
    expectLsfTerm(r.lsf / 2, 0.147);
    expectLsfTerm(r.lsf / 4, 0.074);
    expectLsfTerm(1 - r.lsf, 0.706);
  });

  it('base levels: 0.894%, 1.347%, 1.874%, SL 0.783%', () => {
    expectPct(s.base.tp1, 0.894);
    expectPct(s.base.tp2, 1.347);
    expectPct(s.base.tp3, 1.874);
    expectPct(s.base.sl, 0.783);
  });

  it('volatility adjustment ×1.4 / ×1.2: 1.252%, 1.886%, 2.624%, SL 0.940%', () => {
    expect(s.tpVolatilityMultiplier).toBeCloseTo(1.4, 12);
    expect(s.slVolatilityMultiplier).toBeCloseTo(1.2, 12);
    expectPct(s.afterVolatility.tp1, 1.252);
    expectPct(s.afterVolatility.tp2, 1.886);
    expectPct(s.afterVolatility.tp3, 2.624);
    expectPct(s.afterVolatility.sl, 0.94);
  });

  it('PnL adjustment 1.0 (+15% is within [−30%, +30%])', () => {
    expect(s.pnlAdjustment).toBe(1);
    expect(r.adjustment).toBe(1);
  });

  it('final: TP1 1.252% (30%), TP2 1.886% (30%), TP3 2.624% (40%), SL 0.940%', () => {
    expect(r.mode).toBe('adaptive');
    expect(r.fallback).toBe(false);
    expect(r.stopClamp).toBeNull();
    expectPct(r.tp1, 1.252);
    expectPct(r.tp2, 1.886);
    expectPct(r.tp3, 2.624);
    expectPct(r.sl, 0.94);
    expect(r.harvestScheme).toEqual({ name: 'conservative', fractions: [0.3, 0.3, 0.4] });
  });
});

describe('seed 004 Example 2: aggressive (50×, volatility 1.5, confidence 0.65, avg PnL −0.05)', () => {
  const r = computeExitLevels({ leverage: 50, volatilityFactor: 1.5, confidence: 0.65, avgPnlLast20: -0.05 });
  const s = steps(r);

  it('LSF = 1 / (1 + ln(51)) = 0.203', () => {
    expectLsfTerm(r.lsf, 0.203);
    expectLsfTerm(r.lsf / 2, 0.102);
    expectLsfTerm(r.lsf / 4, 0.051);
    expectLsfTerm(1 - r.lsf, 0.797);
  });

  it('base levels: 0.803%, 1.302%, 1.851%, SL 0.819%', () => {
    expectPct(s.base.tp1, 0.803);
    expectPct(s.base.tp2, 1.302);
    expectPct(s.base.tp3, 1.851);
    expectPct(s.base.sl, 0.819);
  });

  it('volatility adjustment ×1.6 / ×1.3: 1.285%, 2.083%, 2.962%, SL 1.065%', () => {
    expect(s.tpVolatilityMultiplier).toBeCloseTo(1.6, 12);
    expect(s.slVolatilityMultiplier).toBeCloseTo(1.3, 12);
    expectPct(s.afterVolatility.tp1, 1.285);
    expectPct(s.afterVolatility.tp2, 2.083);
    expectPct(s.afterVolatility.tp3, 2.962);
    expectPct(s.afterVolatility.sl, 1.065);
  });

  it('PnL adjustment 0.9 (−10% tightening for losses)', () => {
    expect(s.pnlAdjustment).toBe(0.9);
    expect(r.adjustment).toBe(0.9);
  });

  it('final: TP1 1.157% (50%), TP2 1.875% (30%), TP3 2.666% (20%), SL 0.959%', () => {
    expect(r.mode).toBe('adaptive');
    expect(r.fallback).toBe(false);
    expectPct(r.tp1, 1.157);
    expectPct(r.tp2, 1.875);
    expectPct(r.tp3, 2.666);
    expectPct(r.sl, 0.959);
    expect(r.harvestScheme).toEqual({ name: 'ultra-aggressive', fractions: [0.5, 0.3, 0.2] });
  });

  it('liquidation check: max safe SL = 0.8 / 50 = 1.6%, actual 0.959% within it, not clamped', () => {
    expectPct(r.maxSafeSl, 1.6);
    expect(r.sl).toBeLessThan(r.maxSafeSl);
    expect(r.stopClamp).toBeNull();
    expect(r.sl).toBe(s.afterPnl.sl);
  });
});
