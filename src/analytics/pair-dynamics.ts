import { DEFAULT_REGIME_THRESHOLDS, marketRegime, type MarketRegime, type RegimeThresholds } from './correlation-regime.js';
import { dccFilterState, dynamicCorrelation, type DccParams } from './dcc.js';
import { garchConditionalVariance, type GarchParams } from './garch.js';
import { adjustHedgeRatio, type HedgeRatio } from './hedge-ratio.js';
import { requireSameLength, requireSeries } from './analytics-input.js';

/** Fitted parameters of a pair's two-step DCC: re-estimated now and then, filtered in between. */
export interface PairDynamicsModel {
  readonly long: GarchParams & { readonly mean: number };
  readonly short: GarchParams & { readonly mean: number };
  readonly dcc: DccParams;
}

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
  /** The parameters, to filter later windows with ({@link pairDynamicsFromModel}). */
  readonly model: PairDynamicsModel;
}

export interface PairDynamicsOptions {
  readonly thresholds?: RegimeThresholds;
  readonly maxTilt?: number;
}

/**
 * DCC(1,1) over a pair's aligned per-period returns (long leg first), fitted by maximum
 * likelihood, the regime it implies and the hedge ratio that uses both. Pure.
 * @throws AnalyticsError as {@link dynamicCorrelation}.
 */
export function pairDynamics(longReturns: readonly number[], shortReturns: readonly number[], opts: PairDynamicsOptions = {}): PairDynamics {
  const d = dynamicCorrelation(longReturns, shortReturns);
  const pick = (g: typeof d.x.garch) => ({ omega: g.omega, alpha: g.alpha, beta: g.beta, mean: g.mean });
  const model: PairDynamicsModel = { long: pick(d.x.garch), short: pick(d.y.garch), dcc: { a: d.fit.a, b: d.fit.b } };
  return assemble(d.fit, [d.x.nextVolatility, d.y.nextVolatility], [d.x.windowVolatility, d.y.windowVolatility], model, longReturns.length, opts);
}

/**
 * The same reading with parameters fitted earlier: GARCH and DCC filters only, O(n) (a refit costs
 * a few hundred likelihood evaluations). Pure.
 * @throws AnalyticsError E_ANALYTICS_INPUT on bad parameters or unequal series;
 *   E_ANALYTICS_TOO_FEW_POINTS below 2 points; E_ANALYTICS_DEGENERATE on an all-zero residual series.
 */
export function pairDynamicsFromModel(longReturns: readonly number[], shortReturns: readonly number[], model: PairDynamicsModel, opts: PairDynamicsOptions = {}): PairDynamics {
  requireSeries('longReturns', longReturns, 2);
  requireSeries('shortReturns', shortReturns, 2);
  requireSameLength('longReturns', longReturns, 'shortReturns', shortReturns);
  const l = standardise(longReturns, model.long);
  const s = standardise(shortReturns, model.short);
  const f = dccFilterState(l.z, s.z, model.dcc);
  return assemble({ ...f, ...model.dcc }, [l.next, s.next], [l.window, s.window], model, longReturns.length, opts);
}

function standardise(r: readonly number[], p: GarchParams & { readonly mean: number }): { z: number[]; next: number; window: number } {
  const v = garchConditionalVariance(r, p, { mean: p.mean });
  let ss = 0;
  const z = r.map((x, t) => {
    ss += (x - p.mean) ** 2;
    return (x - p.mean) / Math.sqrt(v[t]!);
  });
  const e = r[r.length - 1]! - p.mean;
  return { z, next: Math.sqrt(p.omega + p.alpha * e * e + p.beta * v[v.length - 1]!), window: Math.sqrt(ss / r.length) };
}

function assemble(
  f: { nextCorrelation: number; unconditionalCorrelation: number; a: number; b: number },
  next: readonly [number, number],
  window: readonly [number, number],
  model: PairDynamicsModel,
  observations: number,
  opts: PairDynamicsOptions,
): PairDynamics {
  const volatilityRatios: [number, number] = [next[0] / window[0], next[1] / window[1]];
  const regime = marketRegime({ volatilityRatios, correlation: f.nextCorrelation, longRunCorrelation: f.unconditionalCorrelation }, opts.thresholds ?? DEFAULT_REGIME_THRESHOLDS);
  const hedgeRatio = adjustHedgeRatio({ correlation: f.nextCorrelation, longVolatility: next[0], shortVolatility: next[1], regime, ...(opts.maxTilt === undefined ? {} : { maxTilt: opts.maxTilt }) });
  return { correlation: f.nextCorrelation, longRunCorrelation: f.unconditionalCorrelation, a: f.a, b: f.b, volatilityRatios, regime, hedgeRatio, observations, model };
}
