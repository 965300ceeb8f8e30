import type { SeededRng } from '../../src/core/rng.js';

/**
 * Funding noise: an OU process around zero added to the base funding rate, so the simulated
 * funding drifts slowly (as a venue's predicted rate does) instead of flickering every second.
 */
export interface FundingNoiseCoefficients {
  readonly decay: number;
  /** Per-step innovation std. */
  readonly std: number;
}

/** Pure: exact OU step constants for stationary std `noiseStd`, half-life and step `dtMs`. */
export function fundingNoiseCoefficients(
  noiseStd: number,
  halfLifeMs: number,
  dtMs: number,
): FundingNoiseCoefficients {
  const decay = Math.exp((-Math.LN2 / halfLifeMs) * dtMs);
  return { decay, std: noiseStd * Math.sqrt(1 - decay * decay) };
}

/** Pure given the rng draw: the next noise value. */
export function stepFundingNoise(prev: number, c: FundingNoiseCoefficients, rng: SeededRng): number {
  return prev * c.decay + c.std * rng.normal();
}
