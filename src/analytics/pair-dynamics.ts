import { DEFAULT_REGIME_THRESHOLDS, marketRegime, type MarketRegime, type RegimeThresholds } from './correlation-regime.js';
import { dynamicCorrelation } from './dcc.js';
import { adjustHedgeRatio, type HedgeRatio } from './hedge-ratio.js';

/** What the risk report, the status line and the hedging engine read about a pair's dynamics. */
export interface PairDynamics {
  /** DCC's next-period correlation and its long-run level (Q̄). */
  readonly correlation: number;
  readonly longRunCorrelation: number;
  /** DCC(1,1) parameters. */
  readonly a: number;
  readonly b: number;
  /** Next-period σ of each leg over its window σ. */
  readonly volatilityRatios: readonly [number, number];
  readonly regime: MarketRegime;
  readonly hedgeRatio: HedgeRatio;
  readonly observations: number;
}

/**
 * DCC(1,1) over a pair's aligned per-period returns (long leg first), the regime it implies and
 * the hedge ratio that uses both. Pure.
 * @throws AnalyticsError as {@link dynamicCorrelation}.
 */
export function pairDynamics(longReturns: readonly number[], shortReturns: readonly number[], opts: { thresholds?: RegimeThresholds; maxTilt?: number } = {}): PairDynamics {
  const d = dynamicCorrelation(longReturns, shortReturns);
  const volatilityRatios: [number, number] = [d.x.nextVolatility / d.x.windowVolatility, d.y.nextVolatility / d.y.windowVolatility];
  const regime = marketRegime({ volatilityRatios, correlation: d.fit.nextCorrelation, longRunCorrelation: d.fit.unconditionalCorrelation }, opts.thresholds ?? DEFAULT_REGIME_THRESHOLDS);
  const hedgeRatio = adjustHedgeRatio({
    correlation: d.fit.nextCorrelation,
    longVolatility: d.x.nextVolatility,
    shortVolatility: d.y.nextVolatility,
    regime,
    ...(opts.maxTilt === undefined ? {} : { maxTilt: opts.maxTilt }),
  });
  return { correlation: d.fit.nextCorrelation, longRunCorrelation: d.fit.unconditionalCorrelation, a: d.fit.a, b: d.fit.b, volatilityRatios, regime, hedgeRatio, observations: longReturns.length };
}
