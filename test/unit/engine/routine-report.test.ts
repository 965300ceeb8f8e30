import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routineReport, type PortfolioRiskMetrics } from '../../../src/engine/portfolio-monitor.js';
import type { LiquidationRisk } from '../../../src/risk/liquidation-risk.js';

/** The report as first written: every figure set, then those null or zero deleted. */
function reference(risk: LiquidationRisk, metrics: PortfolioRiskMetrics, equity: number): Record<string, unknown> {
  const sig = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? x : Number(x.toPrecision(6)));
  let worst: LiquidationRisk['stressTestResults'][number] | null = null;
  for (const r of risk.stressTestResults) if (r.healthRatio !== null && (worst?.healthRatio == null || r.healthRatio < worst.healthRatio)) worst = r;
  const nearest = risk.liquidationPrices.find((l) => l.symbol === risk.nearestSymbol);
  const figures: Record<string, unknown> = {
    equity: sig(equity),
    maintenanceMargin: sig(risk.maintenanceMargin),
    nearestSymbol: risk.nearestSymbol,
    nearestLiquidationPrice: sig(nearest?.price ?? null),
    timeToLiquidationMs: sig(risk.timeToLiquidationMs),
    worstStress: worst?.name ?? null,
    worstStressHealth: sig(risk.worstStressHealth),
    correlationExposure: sig(metrics.correlationExposure),
    reasons: risk.reasons.length > 0 ? risk.reasons : null,
  };
  for (const [k, v] of Object.entries(figures)) if (v === null || v === 0) delete figures[k];
  return figures;
}

describe('routineReport', () => {
  // Figures that are often null, zero (either sign), tiny, huge or not finite.
  const figure = fc.oneof(fc.constant(0), fc.constant(-0), fc.double(), fc.double({ min: -1e-7, max: 1e-7 }));
  const maybe = fc.option(figure, { nil: null });
  const symbol = fc.constantFrom('ETH-PERP', 'SOL-PERP');
  const risk = fc.record({
    maintenanceMargin: figure,
    nearestSymbol: fc.option(symbol, { nil: null }),
    liquidationPrices: fc.array(fc.record({ symbol, price: maybe }), { maxLength: 2 }),
    timeToLiquidationMs: maybe,
    stressTestResults: fc.array(fc.record({ name: fc.constantFrom('eth_down_10', 'both_up_20', 'break'), healthRatio: maybe }), { maxLength: 4 }),
    worstStressHealth: maybe,
    reasons: fc.array(fc.string(), { maxLength: 2 }),
  });

  it('keeps the figures that are neither null nor zero, in the same order, as the report always had', () => {
    fc.assert(
      fc.property(risk, maybe, figure, (r, correlationExposure, equity) => {
        const lr = r as unknown as LiquidationRisk;
        const metrics: PortfolioRiskMetrics = { var1d95Usd: null, var1d95Fraction: null, correlationExposure };
        const got = routineReport(lr, metrics, equity);
        const want = reference(lr, metrics, equity);
        expect(Object.keys(got)).toEqual(Object.keys(want));
        expect(JSON.stringify(got)).toBe(JSON.stringify(want));
      }),
      { numRuns: 2_000 },
    );
  });
});
