import type { ExitBrainConfig, HarvestFractions } from './exit-config.js';

/** Name of a seed 004 harvest scheme. */
export type HarvestSchemeName = 'conservative' | 'aggressive' | 'ultra-aggressive';

/** Which share of the original position each take-profit level closes. */
export interface HarvestScheme {
  readonly name: HarvestSchemeName;
  /** Shares for TP1, TP2, TP3; they sum to 1 (the schema enforces it). */
  readonly fractions: HarvestFractions;
}

/**
 * The partial-profit scheme for a leverage band (seed 004): ≤ 10× conservative [30%, 30%, 40%],
 * 10–30× aggressive [40%, 40%, 20%], > 30× ultra-aggressive [50%, 30%, 20%]. Band edges belong
 * to the lower band (10× is conservative, 30× aggressive). Pure; `leverage` is validated by the caller.
 */
export function selectHarvestScheme(leverage: number, harvest: ExitBrainConfig['harvest']): HarvestScheme {
  if (leverage <= harvest.conservativeMaxLeverage) {
    return { name: 'conservative', fractions: harvest.conservative };
  }
  if (leverage <= harvest.aggressiveMaxLeverage) {
    return { name: 'aggressive', fractions: harvest.aggressive };
  }
  return { name: 'ultra-aggressive', fractions: harvest.ultraAggressive };
}
