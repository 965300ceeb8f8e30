/**
 * A pair position's own leverage for ExitBrain (seed 004): one leg's entry notional over the
 * account's equity. ExitBrain's levels apply to the pair's return on one leg's entry notional
 * (ruling 5), and on a cross-margined account that return reaches the equity (liquidation) at
 * about 1 / this leverage, so the scaling factor and the liquidation fail-safe (SL < 0.8 /
 * leverage) see the position's real exposure, not the configured cap. Pure.
 * Returns `fallback` when equity or notional is not positive or not finite (nothing to measure).
 */
export function positionLeverage(legNotionalUsd: number, equityUsd: number, fallback: number): number {
  if (!Number.isFinite(legNotionalUsd) || !Number.isFinite(equityUsd) || legNotionalUsd <= 0 || equityUsd <= 0) return fallback;
  return legNotionalUsd / equityUsd;
}
