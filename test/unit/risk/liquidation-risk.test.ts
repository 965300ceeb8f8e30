import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.js';
import { assessLiquidationRisk } from '../../../src/risk/liquidation-risk.js';
import { errorCode } from '../error-code.js';

const book = [
  { symbol: 'ETH-PERP', size: 10, mark: 2_000, maintenanceMarginRatio: 0.05 },
  { symbol: 'SOL-PERP', size: -200, mark: 100, maintenanceMarginRatio: 0.05 },
];

describe('assessLiquidationRisk', () => {
  it('a DN book: health medium, time medium, stress escalates to high → reduce', () => {
    // Health 5,000 / 2,000 = 250% → medium.
    // ETH: d = (2,000 − 1,684.21) / 2,000 = 0.157895, σ 0.8: (0.157895 / 1.6)² yr = 3.56 d → medium.
    // SOL: d = (114.2857 − 100) / 100 = 0.142857, σ 1.0: (0.142857 / 2)² yr = 0.005102 yr = 1.86 d → medium, the nearest.
    // Worst stress: ETH −20% / SOL +20% → −150% < 100% → one level up: high → reduce 50%.
    const r = assessLiquidationRisk({ equity: 5_000, positions: book, volatility: { 'ETH-PERP': 0.8, 'SOL-PERP': 1 } });
    expect(r.healthRatio).toBeCloseTo(250, 9);
    expect(r.maintenanceMargin).toBeCloseTo(2_000, 9);
    expect(r.nearestSymbol).toBe('SOL-PERP');
    expect(r.timeToLiquidationMs).toBeCloseTo((1 / 7 / 2) ** 2 * 31_536_000_000, 0);
    expect(r.worstStressHealth).toBeCloseTo(-150, 9);
    expect(r.riskLevel).toBe('high');
    expect(r.action).toEqual({ kind: 'reduce', fraction: 0.5 });
    expect(r.protectionActions).toHaveLength(1);
    expect(r.stressTestResults).toHaveLength(16);
    expect(r.liquidationPrices.map((p) => p.status)).toEqual(['at_risk', 'at_risk']);
  });

  it("the venue's own margin (Drift's SDK) replaces our health and liquidation prices where given", () => {
    // Venue MM 2,500 → health 5,000 / 2,500 = 200%. Venue ETH price 1,500: d = 0.25; SOL not given → ours.
    const venueMargin = { maintenanceMargin: 2_500, liquidationPrices: new Map([['ETH-PERP', 1_500]]) };
    const r = assessLiquidationRisk({ equity: 5_000, positions: book, volatility: { 'ETH-PERP': 0.8, 'SOL-PERP': 1 }, venueMargin });
    const ours = assessLiquidationRisk({ equity: 5_000, positions: book, volatility: { 'ETH-PERP': 0.8, 'SOL-PERP': 1 } });
    expect(r.healthRatio).toBeCloseTo(200, 9);
    expect(r.maintenanceMargin).toBe(2_500);
    expect(r.liquidationPrices[0]).toMatchObject({ symbol: 'ETH-PERP', status: 'at_risk', price: 1_500, distanceFraction: 0.25, direction: 'down' });
    expect(r.liquidationPrices[1]).toEqual(ours.liquidationPrices[1]);
    // A venue price of null: nothing liquidates that leg, so it drops out of time to liquidation.
    const none = assessLiquidationRisk({ equity: 5_000, positions: book, volatility: { 'ETH-PERP': 0.8, 'SOL-PERP': 1 }, venueMargin: { maintenanceMargin: 2_000, liquidationPrices: new Map([['SOL-PERP', null]]) } });
    expect(none.liquidationPrices[1]).toMatchObject({ status: 'none', price: null, distanceFraction: null });
    expect(none.nearestSymbol).toBe('ETH-PERP');
    expect(errorCode(() => assessLiquidationRisk({ equity: 5_000, positions: book, volatility: { 'ETH-PERP': 0.8, 'SOL-PERP': 1 }, venueMargin: { maintenanceMargin: Number.NaN, liquidationPrices: new Map() } }))).toBe(ErrorCodes.INPUT_INVALID);
  });

  it('no positions: low, no action', () => {
    const r = assessLiquidationRisk({ equity: 5_000, positions: [], volatility: {} });
    expect(r).toMatchObject({ healthRatio: null, timeToLiquidationMs: null, riskLevel: 'low', action: { kind: 'none' } });
  });

  it('below maintenance: critical, flatten', () => {
    const r = assessLiquidationRisk({ equity: 1_500, positions: book, volatility: { 'ETH-PERP': 0.8, 'SOL-PERP': 1 } });
    expect(r.timeToLiquidationMs).toBe(0);
    expect(r.riskLevel).toBe('critical');
    expect(r.action).toEqual({ kind: 'flatten' });
  });

  it('a missing volatility for an open position → InputError', () => {
    expect(errorCode(() => assessLiquidationRisk({ equity: 5_000, positions: book, volatility: { 'ETH-PERP': 0.8 } }))).toBe(ErrorCodes.INPUT_INVALID);
  });
});
