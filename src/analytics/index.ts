/**
 * Pure risk and performance numerics (seed 002): VaR/ES, volatility models, correlation and beta,
 * drawdown, risk-adjusted ratios and trade statistics. No I/O, no clock, nothing of ours imported.
 * Every function validates its input and throws {@link AnalyticsError} (by `code`) or returns a
 * documented `null`; none returns NaN.
 */
export { AnalyticsError, AnalyticsErrorCodes, isAnalyticsError, type AnalyticsErrorCode } from './analytics-error.js';
export { MAX_MAGNITUDE } from './analytics-input.js';
export { annualisationWindow, MIN_ANNUALISATION_DAYS, type AnnualisationWindow } from './annualisation-window.js';
export { choleskyFactor, type SquareMatrix } from './cholesky.js';
export { beta, correlation, correlationMatrix, covarianceMatrix, ewmaCorrelation, rollingCorrelation } from './correlation.js';
export { drawdownAnalysis, drawdownSeries, type DrawdownAnalysis } from './drawdown.js';
export { empiricalTail, type TailRisk } from './empirical-tail.js';
export { fitGarch, GARCH_MIN_POINTS, type GarchFit, type GarchFitOptions } from './garch-fit.js';
export {
  garchConditionalVariance,
  garchForecast,
  garchLongRunVariance,
  simulateGarch,
  type GarchFilterOptions,
  type GarchForecast,
  type GarchParams,
  type GarchSimulation,
  type GarchState,
} from './garch.js';
export { horizonVar, horizonVarFigure, minScenarios, overlappingSums, varianceRatio, type HorizonMethod, type HorizonVarEstimate } from './horizon-var.js';
export { riskContributions } from './risk-contribution.js';
export { minimizeNelderMead, type NelderMeadOptions, type NelderMeadResult } from './nelder-mead.js';
export { normalDensity, normalQuantile } from './normal-distribution.js';
export {
  calmarRatio,
  compoundReturns,
  downsideDeviation,
  PERIODS_PER_YEAR,
  performanceSummary,
  sharpeRatio,
  sortinoRatio,
  type CompoundedPath,
  type PerformanceSummary,
  type RatioOptions,
} from './performance.js';
export {
  deltaNormalVar,
  monteCarloVar,
  type CovarianceModel,
  type MonteCarloVarOptions,
  type PortfolioVarEstimate,
  type PortfolioVarOptions,
} from './portfolio-var.js';
export { normalSource, seededUniform, type NormalSource, type UniformSource } from '../core/rng.js';
export { tradeStatistics, type TradeStatistics, type TradeStatisticsOptions } from './trade-statistics.js';
export {
  historicalVar,
  parametricVar,
  parametricVarFromReturns,
  type HistoricalVarOptions,
  type HorizonOptions,
  type ParametricFromReturnsOptions,
  type ParametricVarOptions,
  type VarEstimate,
  type VarOptions,
} from './value-at-risk.js';
export {
  ewmaVarianceSeries,
  ewmaVolatility,
  realisedVolatility,
  RISKMETRICS_LAMBDA,
  type AnnualisationOptions,
  type EwmaOptions,
  type RealisedVolatilityOptions,
} from './volatility.js';
export { DEFAULT_REGIME_THRESHOLDS, marketRegime, type MarketRegime, type RegimeInput, type RegimeLabel, type RegimeThresholds, type VolatilityRegime } from './correlation-regime.js';
export { DCC_MIN_POINTS, dccFilter, dynamicCorrelation, fitDcc, garchStandardise, requireDccParams, type DccFilter, type DccFit, type DccParams, type DynamicCorrelation, type StandardisedSeries } from './dcc.js';
export { adjustHedgeRatio, type HedgeRatio, type HedgeRatioInput } from './hedge-ratio.js';
export { pairDynamics, pairDynamicsFromModel, type PairDynamics, type PairDynamicsModel, type PairDynamicsOptions } from './pair-dynamics.js';
export { suggestPositionSize, type PositionSizeInput, type PositionSizing, type SizeConstraint } from './position-size-suggestion.js';
