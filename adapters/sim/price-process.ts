import type { SeededRng } from '../../src/core/rng.js';
import { SIM_SPREAD_PAIR, SIM_SYMBOLS, type SimMarketConfig } from './sim-config.js';

/**
 * The factor model behind the simulated market, as a step function.
 *
 * For symbol i: log P_i = base_i + beta_i·F + X_i + w_i·S, where
 * - F is the common factor: a random walk (vol σ_F·m) plus Poisson jumps;
 * - X_i is the symbol's own component: a slow OU (vol σ_i·m) plus Poisson jumps;
 * - S is the ETH/SOL spread component: an OU with the configured half-life and stationary std;
 *   it loads w_ETH = +1/2 and w_SOL = −1/(2h) with h = beta_ETH/beta_SOL, so the beta-neutral
 *   spread log P_ETH − h·log P_SOL carries exactly S (plus the idiosyncratic terms);
 * - m is 1 in the calm regime and `volMultiplier` in the volatile one (2-state Markov chain).
 *
 * OU steps use the exact discretisation, so results do not depend on the step size beyond
 * the jump/regime Bernoulli approximation of Poisson events (dt ≪ 1 / rate).
 */

const MS_PER_YEAR = 365 * 86_400_000;
const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

/** Step-size–specific constants, computed once per market. */
export interface PriceProcessCoefficients {
  readonly n: number;
  readonly betas: Float64Array;
  /** Loadings of S per symbol. */
  readonly spreadWeights: Float64Array;
  /** Per-step std of the factor diffusion (calm). */
  readonly factorStd: number;
  /** Per-step OU decay and innovation std (calm) for each symbol's own component. */
  readonly idioDecay: number;
  readonly idioStd: Float64Array;
  readonly spreadDecay: number;
  readonly spreadStd: number;
  readonly volMultiplier: number;
  /** Per-step probability of leaving regime 0 (calm) and regime 1 (volatile). */
  readonly switchProb: readonly [number, number];
  readonly commonJumpProb: number;
  readonly commonJumpStd: number;
  readonly symbolJumpProb: number;
  readonly symbolJumpStd: number;
}

/** Mutable state of the process; one instance per market, updated in place by {@link stepPriceProcess}. */
export interface PriceProcessState {
  factor: number;
  spread: number;
  /** 0 = calm, 1 = volatile. */
  regime: 0 | 1;
  /** Constant per-symbol offsets (log of the level the symbol is anchored at). */
  readonly base: Float64Array;
  readonly idio: Float64Array;
  /** Output: current log prices, in {@link SIM_SYMBOLS} order. */
  readonly logPrice: Float64Array;
}

function perStepProb(perUnit: number, dtUnits: number): number {
  return perUnit >= 1 ? 1 : 1 - Math.pow(1 - perUnit, dtUnits);
}

/** Pure: the process constants for a config and step size `dtMs`. */
export function priceProcessCoefficients(config: SimMarketConfig, dtMs: number): PriceProcessCoefficients {
  const n = SIM_SYMBOLS.length;
  const betas = new Float64Array(n);
  const idioStd = new Float64Array(n);
  const spreadWeights = new Float64Array(n);
  const dtYears = dtMs / MS_PER_YEAR;
  const idioKappa = Math.LN2 / config.idiosyncratic.halfLifeMs;
  const idioDecay = Math.exp(-idioKappa * dtMs);
  SIM_SYMBOLS.forEach((sym, i) => {
    const s = config.symbols[sym];
    betas[i] = s.beta;
    // Per-ms variance σ²/MS_PER_YEAR; exact OU step variance σ²(1 − e^{−2κdt}) / 2κ.
    const varPerMs = (s.idioVol * s.idioVol) / MS_PER_YEAR;
    idioStd[i] = Math.sqrt((varPerMs * (1 - idioDecay * idioDecay)) / (2 * idioKappa));
  });
  const longIdx = SIM_SYMBOLS.indexOf(SIM_SPREAD_PAIR[0]);
  const shortIdx = SIM_SYMBOLS.indexOf(SIM_SPREAD_PAIR[1]);
  const hedge = config.symbols[SIM_SPREAD_PAIR[0]].beta / config.symbols[SIM_SPREAD_PAIR[1]].beta;
  spreadWeights[longIdx] = 0.5;
  spreadWeights[shortIdx] = -0.5 / hedge;
  const spreadDecay = Math.exp((-Math.LN2 / config.spread.halfLifeMs) * dtMs);
  return {
    n,
    betas,
    spreadWeights,
    factorStd: config.factor.annualVol * Math.sqrt(dtYears),
    idioDecay,
    idioStd,
    spreadDecay,
    spreadStd: config.spread.stationaryStd * Math.sqrt(1 - spreadDecay * spreadDecay),
    volMultiplier: config.regime.volMultiplier,
    switchProb: [
      perStepProb(config.regime.calmToVolatilePerHour, dtMs / MS_PER_HOUR),
      perStepProb(config.regime.volatileToCalmPerHour, dtMs / MS_PER_HOUR),
    ],
    commonJumpProb: Math.min(1, (config.jumps.commonPerDay * dtMs) / MS_PER_DAY),
    commonJumpStd: config.jumps.commonStd,
    symbolJumpProb: Math.min(1, (config.jumps.symbolPerDay * dtMs) / MS_PER_DAY),
    symbolJumpStd: config.jumps.symbolStd,
  };
}

/** A fresh state anchored at `prices` (all components zero), in {@link SIM_SYMBOLS} order. */
export function initialPriceProcessState(prices: ArrayLike<number>): PriceProcessState {
  const n = prices.length;
  const base = new Float64Array(n);
  for (let i = 0; i < n; i++) base[i] = Math.log(prices[i] ?? Number.NaN);
  return {
    factor: 0,
    spread: 0,
    regime: 0,
    base,
    idio: new Float64Array(n),
    logPrice: Float64Array.from(base),
  };
}

/**
 * Advance the process by one step. Deterministic in (state, coefficients, rng draws); it
 * writes the new state into `state` (no allocation: this runs once per simulated step).
 */
export function stepPriceProcess(state: PriceProcessState, c: PriceProcessCoefficients, rng: SeededRng): void {
  if (rng.next() < c.switchProb[state.regime]) state.regime = state.regime === 0 ? 1 : 0;
  const m = state.regime === 1 ? c.volMultiplier : 1;

  let factor = state.factor + m * c.factorStd * rng.normal();
  if (c.commonJumpProb > 0 && rng.next() < c.commonJumpProb) factor += c.commonJumpStd * rng.normal();
  state.factor = factor;

  const spread = state.spread * c.spreadDecay + m * c.spreadStd * rng.normal();
  state.spread = spread;

  const { base, idio, logPrice } = state;
  for (let i = 0; i < c.n; i++) {
    let x = (idio[i] ?? 0) * c.idioDecay + m * (c.idioStd[i] ?? 0) * rng.normal();
    if (c.symbolJumpProb > 0 && rng.next() < c.symbolJumpProb) x += c.symbolJumpStd * rng.normal();
    idio[i] = x;
    logPrice[i] = (base[i] ?? 0) + (c.betas[i] ?? 0) * factor + x + (c.spreadWeights[i] ?? 0) * spread;
  }
}

/** Re-anchor symbol `i` so its current log price becomes `targetLogPrice` (components unchanged). */
export function reanchorPriceProcess(state: PriceProcessState, i: number, targetLogPrice: number): number {
  const delta = targetLogPrice - (state.logPrice[i] ?? 0);
  state.base[i] = (state.base[i] ?? 0) + delta;
  state.logPrice[i] = targetLogPrice;
  return delta;
}
