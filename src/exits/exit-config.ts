import { z } from 'zod';

/**
 * ExitBrain v3.5 configuration (seed 004, ruling 5). Every default lives here and nowhere else.
 *
 * Units: every level is a fraction of return on one leg's entry notional (0.01 = 1%); PnL
 * thresholds use the same unit, because the tracker records round-trip PnL in it.
 */

const fraction = (max: number) => z.number().gt(0).max(max);

/** Three harvest shares of the original position (TP1, TP2, TP3); they must sum to 1. */
const harvestFractionsSchema = z
  .tuple([fraction(1), fraction(1), fraction(1)])
  .refine((f) => Math.abs(f[0] + f[1] + f[2] - 1) <= 1e-9, 'harvest fractions must sum to 1');

const staticLevelsSchema = z
  .object({
    tp1: fraction(1).default(0.01),
    tp2: fraction(1).default(0.015),
    tp3: fraction(1).default(0.02),
    sl: fraction(1).default(0.005),
  })
  .strict()
  .refine((s) => s.tp1 < s.tp2 && s.tp2 < s.tp3, 'static levels must satisfy tp1 < tp2 < tp3');

const pnlAdjustmentSchema = z
  .object({
    /** Applied when the window's average PnL is below 0 (seed: tighten by 10%). */
    lossFactor: z.number().gt(0).max(2).default(0.9),
    /** Average PnL above this expands the levels (seed: +30%, i.e. 0.30). */
    profitThreshold: z.number().gt(0).default(0.3),
    /** Applied when the average PnL is above `profitThreshold` (seed: expand by 10%). */
    profitFactor: z.number().gt(0).max(2).default(1.1),
    /** Confidence below this tightens further (seed: 50%). */
    lowConfidence: z.number().min(0).max(1).default(0.5),
    /** Extra factor under low confidence (seed: 5% tightening). */
    lowConfidenceFactor: z.number().gt(0).max(2).default(0.95),
    /** Clamp of the combined factor (seed: [0.8, 1.2]). */
    min: z.number().gt(0).default(0.8),
    max: z.number().gt(0).default(1.2),
  })
  .strict()
  .refine((p) => p.min <= p.max, { message: 'min must be ≤ max', path: ['min'] });

const harvestSchema = z
  .object({
    /** Leverage at or below this uses the conservative scheme (seed: ≤ 10×). */
    conservativeMaxLeverage: z.number().gt(0).default(10),
    /** Leverage at or below this (and above the conservative bound) is aggressive (seed: 10–30×). */
    aggressiveMaxLeverage: z.number().gt(0).default(30),
    conservative: harvestFractionsSchema.default([0.3, 0.3, 0.4]),
    aggressive: harvestFractionsSchema.default([0.4, 0.4, 0.2]),
    ultraAggressive: harvestFractionsSchema.default([0.5, 0.3, 0.2]),
  })
  .strict()
  .refine((h) => h.conservativeMaxLeverage < h.aggressiveMaxLeverage, {
    message: 'conservativeMaxLeverage must be < aggressiveMaxLeverage',
    path: ['aggressiveMaxLeverage'],
  });

/**
 * Strict zod schema of the exit brain; `exitBrainConfigSchema.parse({})` gives the seed's values.
 *
 * The seed does not print the v3 levels it falls back to. `staticLevels` defaults to the seed's
 * base take-profit and stop (1% and 0.5%) with TP2/TP3 at 1.5× and 2× TP1 (the 1 : 1.5 : 2 ratio
 * of the seed's stream record): 1%, 1.5%, 2%, SL 0.5%.
 */
export const exitBrainConfigSchema = z
  .object({
    /** Adaptive levels on (the runtime maps env `ADAPTIVE_LEVERAGE_ENABLED` here); off = static v3 levels. */
    enabled: z.boolean().default(true),
    /** Seed `base_tp`: 1% base take-profit. */
    baseTp: fraction(0.5).default(0.01),
    /** Seed `base_sl`: 0.5% base stop. */
    baseSl: fraction(0.5).default(0.005),
    /** Levels used when adaptive is off or a fail-safe falls back (v3 defaults). */
    staticLevels: staticLevelsSchema.prefault({}),
    /** Round trips the PnL tracker keeps (seed `max_history`). */
    pnlWindow: z.number().int().min(1).max(10_000).default(20),
    /** SL floor (seed: 0.1%). */
    slMin: fraction(1).default(0.001),
    /** SL ceiling (seed: 2%). */
    slMax: fraction(1).default(0.02),
    /** The stop stays below this share of the liquidation distance 1/leverage (seed: 80%). */
    liquidationShare: fraction(1).default(0.8),
    pnlAdjustment: pnlAdjustmentSchema.prefault({}),
    harvest: harvestSchema.prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!(c.slMin < c.slMax)) {
      ctx.addIssue({ code: 'custom', path: ['slMin'], message: 'slMin must be < slMax' });
    }
    if (c.staticLevels.sl < c.slMin || c.staticLevels.sl > c.slMax) {
      ctx.addIssue({
        code: 'custom',
        path: ['staticLevels', 'sl'],
        message: `must be within [slMin, slMax] = [${c.slMin}, ${c.slMax}]`,
      });
    }
  });

/** Parsed exit brain configuration. */
export type ExitBrainConfig = z.output<typeof exitBrainConfigSchema>;

/** Three harvest shares (TP1, TP2, TP3) of the original position, summing to 1. */
export type HarvestFractions = readonly [number, number, number];

/** The seed's values; used when a caller passes no configuration. */
export const DEFAULT_EXIT_BRAIN_CONFIG: ExitBrainConfig = exitBrainConfigSchema.parse({});
