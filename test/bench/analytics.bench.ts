import { bench, describe } from 'vitest';
import { choleskyFactor } from '../../src/analytics/cholesky.js';
import { beta, correlationMatrix } from '../../src/analytics/correlation.js';
import { drawdownAnalysis } from '../../src/analytics/drawdown.js';
import { fitGarch } from '../../src/analytics/garch-fit.js';
import { garchConditionalVariance, simulateGarch } from '../../src/analytics/garch.js';
import { PERIODS_PER_YEAR, performanceSummary } from '../../src/analytics/performance.js';
import { normalSource, seededUniform } from '../../src/core/rng.js';
import { historicalVar, parametricVarFromReturns } from '../../src/analytics/value-at-risk.js';
import { ewmaVolatility } from '../../src/analytics/volatility.js';

// A year of 1-minute returns (525,600 each) for ETH, SOL and BTC, generated once, outside the
// timed functions: correlated normals (Cholesky of the correlation matrix) scaled by a common
// GARCH(1,1) variance path, so volatility clusters as it does in the market.
const N = PERIODS_PER_YEAR.minute;
const VOLS = [0.0008, 0.0011, 0.0006]; // per minute: ≈ 58%, 80%, 43% a year
const L = choleskyFactor([
  [1, 0.8, 0.75],
  [0.8, 1, 0.7],
  [0.75, 0.7, 1],
]);
const z = normalSource(seededUniform(2024));
const regime = simulateGarch({ omega: 0.02, alpha: 0.05, beta: 0.93 }, N, z).variances; // long-run 1
const eth: number[] = [];
const sol: number[] = [];
const btc: number[] = [];
for (let t = 0; t < N; t++) {
  const e = [z(), z(), z()];
  const s = Math.sqrt(regime[t]!);
  const shock = (i: number): number => {
    let v = 0;
    for (let j = 0; j <= i; j++) v += L[i]![j]! * e[j]!;
    return VOLS[i]! * s * v;
  };
  eth.push(shock(0));
  sol.push(shock(1));
  btc.push(shock(2));
}
// The DN pair on $20k equity: $10k ETH long, $9k SOL short; its return per minute.
const pair = eth.map((r, t) => (10_000 * r - 9_000 * sol[t]!) / 20_000);
const MONTH = 30 * 1_440;
const pairLastMonth = pair.slice(-MONTH);

let sink = 0;

/**
 * Everything seed 002's RiskMetrics asks for, on the pair and its legs: historical 1-day VaR/ES
 * at 95% and 99% (overlapping 1,440-minute windows), parametric 1-day VaR/ES, EWMA volatility of
 * the pair and each asset, GARCH(1,1) fit of the pair (on the last 30 days: see the full-year
 * bench below), the 3×3 correlation matrix, betas of ETH and the pair against SOL and BTC, the
 * pair's drawdown analysis and Sharpe/Sortino/Calmar (performanceSummary).
 */
function fullMetricSet(withGarch = true): number {
  const day = { horizonDays: 1, periodsPerDay: 1_440 };
  const h95 = historicalVar(pair, { confidence: 0.95, ...day, portfolioValueUsd: 20_000 });
  const h99 = historicalVar(pair, { confidence: 0.99, ...day, portfolioValueUsd: 20_000 });
  const p95 = parametricVarFromReturns(pair, { confidence: 0.95, ...day, portfolioValueUsd: 20_000 });
  const vols = [pair, eth, sol, btc].map((r) => ewmaVolatility(r, { periodsPerYear: N }));
  const persistence = withGarch ? fitGarch(pairLastMonth).persistence : 0;
  const corr = correlationMatrix([eth, sol, btc]);
  const betas = [beta(eth, sol), beta(eth, btc), beta(pair, sol), beta(pair, btc)];
  const equity: number[] = [20_000];
  for (const r of pair) equity.push(equity[equity.length - 1]! * (1 + r));
  const dd = drawdownAnalysis(equity);
  const perf = performanceSummary(pair, { periodsPerYear: N, riskFreeRate: 0.04 });
  return (
    h95.valueAtRisk + h99.expectedShortfall + p95.valueAtRisk + vols[0]! + persistence + (corr[0]![1] ?? 0) +
    (betas[0] ?? 0) + dd.maxDrawdown + (perf.sharpeRatio ?? 0)
  );
}

describe(`full metric set on a year of 1-minute returns, 3 assets (${N.toLocaleString('en-US')} points each)`, () => {
  bench(
    'floor: one pass over the data (sum of all returns)',
    () => {
      let s = 0;
      for (const series of [eth, sol, btc]) for (let t = 0; t < series.length; t++) s += series[t]!;
      sink += s;
    },
    { iterations: 20, warmupIterations: 2 },
  );

  bench(
    'context: the same metric set without the GARCH fit',
    () => {
      sink += fullMetricSet(false);
    },
    { iterations: 5, warmupIterations: 1, time: 0 },
  );

  bench(
    'full metric set: VaR/ES ×3, EWMA ×4, GARCH fit (30 days), correlation matrix, 4 betas, drawdown, Sharpe/Sortino/Calmar',
    () => {
      sink += fullMetricSet();
    },
    { iterations: 5, warmupIterations: 1, time: 0 },
  );
});

// GARCH on the whole year: ~350 likelihood evaluations of 525,600 points each (~0.9 s), so the
// metric set fits the last 30 days and the full-year fit is benched on its own, with 3 iterations,
// against one pass of the public GARCH filter (the likelihood loop itself is cheaper: it keeps no
// series and takes one log per ~100 points).
describe(`GARCH(1,1) maximum likelihood on the whole year (${N.toLocaleString('en-US')} points)`, () => {
  bench(
    'floor: one GARCH filter pass with known parameters',
    () => {
      const v = garchConditionalVariance(pair, { omega: 1e-9, alpha: 0.05, beta: 0.93 });
      sink += v[v.length - 1]!;
    },
    { iterations: 5, warmupIterations: 1, time: 0 },
  );

  bench(
    'fitGarch: Nelder–Mead MLE, two runs',
    () => {
      sink += fitGarch(pair).persistence;
    },
    { iterations: 3, warmupIterations: 0, time: 0 },
  );
});

// Keeps the optimiser from discarding the work.
if (Number.isNaN(sink)) throw new Error('unreachable');
