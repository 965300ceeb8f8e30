import { requireNonNegative, requirePositive } from '../core/validation.js';

/** Milliseconds in the year used to annualise volatility: 365 days (crypto trades every day). */
export const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** Default move size, in standard deviations, that {@link timeToLiquidation} waits for. */
export const DEFAULT_LIQUIDATION_SIGMAS = 2;

/** Inputs of {@link timeToLiquidation}. */
export interface TimeToLiquidationInput {
  /** Adverse move to the liquidation price, |p* − mark| ÷ mark (≥ 0); null when there is none. */
  readonly distanceFraction: number | null;
  /** Annualised volatility of the mark's returns, as a fraction (0.8 = 80%/yr), > 0. */
  readonly annualisedVolatility: number;
  /** Size of the move in standard deviations (z), > 0; default 2 (≈ 97.7% one-sided under a normal). */
  readonly sigmas?: number;
}

/**
 * A rough horizon to liquidation: the time over which a `sigmas`-standard-deviation move of a
 * random walk with annualised volatility σ covers the distance d. From d = z·σ·√t:
 *   t = (d ÷ (z·σ))² years, returned in milliseconds (365-day year, see {@link YEAR_MS}).
 * It is a scale for alerts and risk levels, not a first-passage probability. Returns `null` when
 * there is no liquidation price (`distanceFraction` null) and 0 when already at or past it. Pure.
 * @throws InputError (E_INPUT_INVALID) on a negative or non-finite distance, or a volatility or
 * sigma multiple that is not finite and > 0.
 */
export function timeToLiquidation(i: TimeToLiquidationInput): number | null {
  const sigma = requirePositive('annualisedVolatility', i.annualisedVolatility);
  const z = requirePositive('sigmas', i.sigmas ?? DEFAULT_LIQUIDATION_SIGMAS);
  if (i.distanceFraction === null) return null;
  const d = requireNonNegative('distanceFraction', i.distanceFraction);
  return (d / (z * sigma)) ** 2 * YEAR_MS;
}
