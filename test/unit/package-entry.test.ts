import { describe, expect, it } from 'vitest';
import * as dnbot from '../../src/index.js';

// The package entry point's pure functions, with the specs' own numbers.
describe('package entry point', () => {
  it('riskMultiplier: seed 000 formula, bounds and defensive gate', () => {
    // AVNT row: strong signal, $1.285/trade → the 3.0 cap.
    expect(dnbot.riskMultiplier({ signalStrength: 0.92, confidence: 0.5, avgPnlLast50: 1.285 })).toBe(3);
    // (min(2·0.6, 2) + 0.5·0.21) × (1 + 10·(−0.048)) = 1.305 × 0.52 = 0.6786 (ETH row band 0.3–0.7).
    expect(dnbot.riskMultiplier({ signalStrength: 0.6, confidence: 0.21, avgPnlLast50: -0.048 })).toBeCloseTo(0.6786, 4);
    // Below signal 0.5: the defensive floor.
    expect(dnbot.riskMultiplier({ signalStrength: 0.4, confidence: 1, avgPnlLast50: 5 })).toBe(0.2);
    // No trades yet: performance factor 1.0.
    expect(dnbot.riskMultiplier({ signalStrength: 0.5, confidence: 0.8, avgPnlLast50: null })).toBeCloseTo(1.4, 12);
  });

  it('validatePositionSize: seed 003 $2,000 × 10 × 0.8 = $16,000', () => {
    expect(dnbot.validatePositionSize({ notional: 16_000, collateral: 2_000, maxLeverage: 10, safetyFactor: 0.8 })).toMatchObject({ ok: true, maxSafeNotional: 16_000 });
    const refused = dnbot.validatePositionSize({ notional: 20_000, collateral: 2_000, maxLeverage: 10, safetyFactor: 0.8 });
    expect(refused.ok).toBe(false);
    expect(refused.reason).toBe('Position $20,000 exceeds safe limit $16,000 (collateral: $2,000, leverage: 10×, safety: 0.8)');
  });

  it('allocationLimit: seed 001 tiers', () => {
    expect(dnbot.allocationLimit({ winRate: 0.7, monthlyReturn: -0.06 })).toBe(0.2);
    expect(dnbot.allocationLimit({ winRate: 0.4, monthlyReturn: 0 })).toBe(0.25);
    expect(dnbot.allocationLimit({ winRate: 0.5, monthlyReturn: 0 })).toBe(0.4);
    expect(dnbot.allocationLimit({ winRate: 0.65, monthlyReturn: 0.02 })).toBe(0.6);
  });

  it('progressiveNotional: min(phase multiplier, collateral growth)', () => {
    expect(dnbot.progressiveNotional({ initialNotional: 500, initialCollateral: 2_000, currentCollateral: 2_500, phase: 2 })).toBeCloseTo(625, 9);
    expect(dnbot.progressiveNotional({ initialNotional: 500, initialCollateral: 2_000, currentCollateral: 20_000, phase: 3 })).toBeCloseTo(1_250, 9);
  });

  it('requiredCapital: seed 003 capital calculator', () => {
    expect(dnbot.requiredCapital({ targetDailyVolume: 20_000, tradesPerDay: 20, leverage: 5, safetyFactor: 0.8 })).toBeCloseTo(250, 9);
    expect(dnbot.requiredCapital({ targetDailyVolume: 1_000_000, tradesPerDay: 1_000, leverage: 20, safetyFactor: 0.8 })).toBeCloseTo(62.5, 9);
  });

  it('computeExitLevels: fractions, and typed errors on bad input', () => {
    const l = dnbot.computeExitLevels({ leverage: 5, volatilityFactor: 1, confidence: 0.8, avgPnlLast20: null });
    expect(l.tp1).toBeLessThan(l.tp2);
    expect(l.tp2).toBeLessThan(l.tp3);
    expect(l.sl).toBeGreaterThanOrEqual(0.001);
    expect(l.sl).toBeLessThanOrEqual(0.02);
    for (const bad of [0, -1, Number.NaN]) {
      expect(() => dnbot.computeExitLevels({ leverage: bad, volatilityFactor: 1, confidence: 0.8, avgPnlLast20: null })).toThrow(dnbot.DnbotError);
    }
    for (const fn of [() => dnbot.riskMultiplier({ signalStrength: Number.NaN, confidence: 0.5, avgPnlLast50: 0 }), () => dnbot.requiredCapital({ targetDailyVolume: 1, tradesPerDay: 1, leverage: 0, safetyFactor: 0.8 })]) {
      try {
        fn();
        expect.unreachable();
      } catch (e) {
        expect((e as dnbot.DnbotError).code).toBe(dnbot.ErrorCodes.INPUT_INVALID);
      }
    }
  });
});
