import { InputError } from '../core/errors.js';
import { requireFinite, requireNonNegative, requirePositive } from '../core/validation.js';
import { DEFAULT_EXIT_BRAIN_CONFIG, type ExitBrainConfig } from './exit-config.js';
import { applyExitFailSafes, clampStop, maxSafeStop, type FallbackReason, type LevelSet, type StopClamp } from './exit-fail-safes.js';
import { selectHarvestScheme, type HarvestScheme } from './harvest-scheme.js';
import { pnlAdjustmentFactor } from './pnl-adjustment.js';

/** What the exit brain needs to know about a new position. */
export interface ExitLevelsInput {
  /** Position leverage (× notional over margin); finite and > 0. */
  readonly leverage: number;
  /** Realised volatility over its long-run median (ruling 4): 1.0 = normal; finite and ≥ 0. */
  readonly volatilityFactor: number;
  /** Signal confidence in [0, 1]. */
  readonly confidence: number;
  /** Average round-trip PnL of the last N trades as a fraction (0.15 = +15%); null = no history. */
  readonly avgPnlLast20: number | null;
}

/** The adaptive computation step by step (seed 004's worked examples print each line). */
export interface ExitLevelSteps {
  /** base_tp × (0.6 + LSF), × (1.2 + LSF/2), × (1.8 + LSF/4); base_sl × (1 + (1 − LSF) × 0.8). */
  readonly base: LevelSet;
  /** 1 + volatilityFactor × 0.4 */
  readonly tpVolatilityMultiplier: number;
  /** 1 + volatilityFactor × 0.2 */
  readonly slVolatilityMultiplier: number;
  readonly afterVolatility: LevelSet;
  /** The PnL-based factor, computed even if a fail-safe then discards the adaptive levels. */
  readonly pnlAdjustment: number;
  /** Before the fail-safes. */
  readonly afterPnl: LevelSet;
}

/** Exit plan of a position: levels as fractions of return on one leg's entry notional. */
export interface ExitLevels extends LevelSet {
  /** 'adaptive' = v3.5 levels; 'static' = v3 levels (toggle off, or a fail-safe fell back). */
  readonly mode: 'adaptive' | 'static';
  /** Leverage scaling factor 1 / (1 + ln(leverage + 1)). */
  readonly lsf: number;
  /** PnL-based factor applied to the returned levels (1 when they are static). */
  readonly adjustment: number;
  readonly harvestScheme: HarvestScheme;
  /** True when a fail-safe replaced the adaptive levels by the static ones. */
  readonly fallback: boolean;
  readonly fallbackReason: FallbackReason | null;
  /** Which bound moved the stop, if any. */
  readonly stopClamp: StopClamp;
  /** liquidationShare / leverage; the stop is strictly below it. */
  readonly maxSafeSl: number;
  /** The adaptive computation; null when the toggle is off. */
  readonly steps: ExitLevelSteps | null;
}

/** Seed 004: `LSF = 1 / (1 + ln(leverage + 1))`. Higher leverage, lower LSF, tighter levels. */
export function leverageScalingFactor(leverage: number): number {
  return 1 / (1 + Math.log(leverage + 1));
}

/** Seed 004's base levels from the leverage scaling factor. Pure. */
export function baseLevels(lsf: number, baseTp: number, baseSl: number): LevelSet {
  return {
    tp1: baseTp * (0.6 + lsf),
    tp2: baseTp * (1.2 + lsf / 2),
    tp3: baseTp * (1.8 + lsf / 4),
    sl: baseSl * (1 + (1 - lsf) * 0.8),
  };
}

const scale = (l: LevelSet, tp: number, sl: number): LevelSet => ({
  tp1: l.tp1 * tp,
  tp2: l.tp2 * tp,
  tp3: l.tp3 * tp,
  sl: l.sl * sl,
});

function validate(input: ExitLevelsInput, config: ExitBrainConfig): void {
  requirePositive('leverage', input.leverage);
  requireNonNegative('volatilityFactor', input.volatilityFactor);
  requireFinite('confidence', input.confidence);
  if (input.confidence < 0 || input.confidence > 1) {
    throw new InputError('confidence', `must be within [0, 1], got ${input.confidence}`);
  }
  if (input.avgPnlLast20 !== null) requireFinite('avgPnlLast20', input.avgPnlLast20);
  // No stop can be both ≥ slMin and below the liquidation limit: the position cannot be protected.
  if (!(maxSafeStop(input.leverage, config.liquidationShare) > config.slMin)) {
    const max = config.liquidationShare / config.slMin;
    throw new InputError('leverage', `must be below ${max}× for a stop ≥ ${config.slMin} to fit, got ${input.leverage}`);
  }
}

/**
 * ExitBrain v3.5 (seed 004, ruling 5): TP1–TP3, SL and the harvest scheme for a new position.
 * LSF-scaled base levels, × (1 + 0.4·vf) on TPs and (1 + 0.2·vf) on SL, × the PnL factor, then
 * the fail-safes (SL in [0.1%, 2%] and below 80% of 1/leverage; TP1 < TP2 < TP3 else static v3).
 * With `config.enabled` false, the static v3 levels (stop still capped by liquidation distance).
 * Pure and deterministic.
 *
 * @throws InputError `E_INPUT_INVALID` on leverage ≤ 0 or non-finite (or so high that no stop
 *   fits), volatilityFactor < 0 or non-finite, confidence outside [0, 1] or NaN, avgPnl non-finite.
 */
export function computeExitLevels(
  input: ExitLevelsInput,
  config: ExitBrainConfig = DEFAULT_EXIT_BRAIN_CONFIG,
): ExitLevels {
  validate(input, config);
  const { leverage } = input;
  const lsf = leverageScalingFactor(leverage);
  const harvestScheme = selectHarvestScheme(leverage, config.harvest);
  const maxSafeSl = maxSafeStop(leverage, config.liquidationShare);

  if (!config.enabled) {
    const s = config.staticLevels;
    const stop = clampStop(s.sl, leverage, config);
    return {
      tp1: s.tp1, tp2: s.tp2, tp3: s.tp3, sl: stop.sl,
      mode: 'static', lsf, adjustment: 1, harvestScheme,
      fallback: false, fallbackReason: null, stopClamp: stop.stopClamp, maxSafeSl, steps: null,
    };
  }

  const base = baseLevels(lsf, config.baseTp, config.baseSl);
  const tpVolatilityMultiplier = 1 + input.volatilityFactor * 0.4;
  const slVolatilityMultiplier = 1 + input.volatilityFactor * 0.2;
  const afterVolatility = scale(base, tpVolatilityMultiplier, slVolatilityMultiplier);
  const pnlAdjustment = pnlAdjustmentFactor(input.avgPnlLast20, input.confidence, config.pnlAdjustment);
  const afterPnl = scale(afterVolatility, pnlAdjustment, pnlAdjustment);
  const steps: ExitLevelSteps = {
    base, tpVolatilityMultiplier, slVolatilityMultiplier, afterVolatility, pnlAdjustment, afterPnl,
  };

  const safe = applyExitFailSafes(afterPnl, leverage, config);
  const fallback = safe.fallbackReason !== null;
  return {
    ...safe.levels,
    mode: fallback ? 'static' : 'adaptive',
    lsf,
    adjustment: fallback ? 1 : pnlAdjustment,
    harvestScheme,
    fallback,
    fallbackReason: safe.fallbackReason,
    stopClamp: safe.stopClamp,
    maxSafeSl,
    steps,
  };
}
