import { z } from 'zod';
import { requireNonNegative } from '../core/validation.js';

const usd = z.number().nonnegative().max(1e12);
const fraction = z.number().nonnegative().max(1);

/**
 * Strict zod schema of the portfolio hedging engine (seed 002); `hedgeConfigSchema.parse({})` gives
 * the defaults. The no-trade band is max(`toleranceUsd`, `toleranceFraction` × gross notional): a
 * floor in USD for small books, a share of gross for large ones (as `pairTolerance` does for one
 * pair — 5% of gross equals the pair executor's 10% of one leg). The emergency band is built the
 * same way and may not be narrower than the normal one.
 */
export const hedgeConfigSchema = z
  .object({
    /**
     * Hedge pairs at the DCC minimum-variance ratio (short notional = ratio × long notional)
     * instead of 1:1: entries shrink one leg to it, and each pair's band, repairs and the emergency
     * hedge measure delta with the long leg weighted by it.
     */
    betaAdjusted: z.boolean().default(false),
    /** Delta the engine steers to, USD. */
    targetDeltaUsd: z.number().min(-1e12).max(1e12).default(0),
    /** No-trade band floor, USD. */
    toleranceUsd: usd.default(25),
    /** No-trade band as a share of gross notional. */
    toleranceFraction: fraction.default(0.05),
    /** Emergency band floor, USD. */
    emergencyToleranceUsd: usd.default(250),
    /** Emergency band as a share of gross notional. */
    emergencyToleranceFraction: fraction.default(0.15),
    /** Most trades one emergency hedge may send. */
    maxEmergencyTrades: z.number().int().min(1).max(20).default(5),
    /** Depth a hedge may take, from the touch (seed 003: 10 bps). */
    maxSlippageBps: z.number().positive().max(500).default(10),
    /**
     * Let the emergency hedge add to the lighter leg when reducing the heavy one cannot restore the
     * band (e.g. the heavy leg's book is too thin within the slippage cap). Off: reduce-only.
     */
    allowOpening: z.boolean().default(false),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.emergencyToleranceUsd < c.toleranceUsd) {
      ctx.addIssue({ code: 'custom', path: ['emergencyToleranceUsd'], message: `must be ≥ toleranceUsd (${c.toleranceUsd})` });
    }
    if (c.emergencyToleranceFraction < c.toleranceFraction) {
      ctx.addIssue({ code: 'custom', path: ['emergencyToleranceFraction'], message: `must be ≥ toleranceFraction (${c.toleranceFraction})` });
    }
  });

export type HedgeConfig = z.output<typeof hedgeConfigSchema>;
export const DEFAULT_HEDGE_CONFIG: HedgeConfig = hedgeConfigSchema.parse({});

/** The two bands for a book of gross notional `grossUsd`, USD. */
export interface HedgeBands {
  readonly toleranceUsd: number;
  readonly emergencyToleranceUsd: number;
}

/**
 * The no-trade and emergency bands, USD: max(floor, fraction × gross).
 * @throws InputError (E_INPUT_INVALID) on a negative or non-finite gross notional.
 */
export function hedgeBands(config: HedgeConfig, grossUsd: number): HedgeBands {
  const gross = requireNonNegative('grossUsd', grossUsd);
  return {
    toleranceUsd: Math.max(config.toleranceUsd, config.toleranceFraction * gross),
    emergencyToleranceUsd: Math.max(config.emergencyToleranceUsd, config.emergencyToleranceFraction * gross),
  };
}
