import type { ExitBrainConfig } from './exit-config.js';

/**
 * Seed 004's PnL-based factor on TP1–TP3 and SL (ruling 5): `lossFactor` (0.9) when the last-N
 * average PnL is below 0, `profitFactor` (1.1) when above `profitThreshold` (+30%, as 0.30),
 * then × `lowConfidenceFactor` (0.95) when confidence < `lowConfidence` (0.5), clamped to
 * [min, max] ([0.8, 1.2]).
 *
 * `avgPnl` is a fraction (0.15 = +15%), as in the seed's Example 1. With no history (`null`) the
 * performance part is neutral (1.0); low confidence still tightens, since it is not about history.
 * Pure; inputs are validated by the caller.
 */
export function pnlAdjustmentFactor(
  avgPnl: number | null,
  confidence: number,
  p: ExitBrainConfig['pnlAdjustment'],
): number {
  let factor = 1;
  if (avgPnl !== null && avgPnl < 0) factor = p.lossFactor;
  else if (avgPnl !== null && avgPnl > p.profitThreshold) factor = p.profitFactor;
  if (confidence < p.lowConfidence) factor *= p.lowConfidenceFactor;
  return Math.min(p.max, Math.max(p.min, factor));
}
