import type { ExitBrainConfig } from './exit-config.js';

/** TP1–TP3 and SL as fractions of return on one leg's entry notional (0.01252 = 1.252%). */
export interface LevelSet {
  readonly tp1: number;
  readonly tp2: number;
  readonly tp3: number;
  readonly sl: number;
}

/** Which bound moved the stop, if any: the [slMin, slMax] clamp or the liquidation-distance cap. */
export type StopClamp = 'floor' | 'ceiling' | 'liquidation' | null;

/** Why adaptive levels were replaced by the static v3 levels. */
export type FallbackReason = 'tp-order' | 'sl-invalid';

export interface FailSafeResult {
  readonly levels: LevelSet;
  readonly stopClamp: StopClamp;
  /** Set when the adaptive levels could not be repaired and the static levels were used. */
  readonly fallbackReason: FallbackReason | null;
}

/**
 * Seed 004's liquidation distance check: the stop must stay below `share / leverage`
 * (0.8 / 50 = 1.6% in Example 2). Returns that limit; the stop must be strictly below it.
 */
export function maxSafeStop(leverage: number, liquidationShare: number): number {
  return liquidationShare / leverage;
}

/**
 * Clamps a stop to [slMin, slMax], then strictly below the liquidation limit. The cut lands one
 * part in 2^52 under the limit ("below", not "at"), and never under `slMin`; the caller guarantees
 * `slMin < limit` (computeExitLevels rejects leverage for which no stop fits).
 */
export function clampStop(
  sl: number,
  leverage: number,
  config: Pick<ExitBrainConfig, 'slMin' | 'slMax' | 'liquidationShare'>,
): { readonly sl: number; readonly stopClamp: StopClamp } {
  let out = sl;
  let stopClamp: StopClamp = null;
  if (out < config.slMin) {
    out = config.slMin;
    stopClamp = 'floor';
  } else if (out > config.slMax) {
    out = config.slMax;
    stopClamp = 'ceiling';
  }
  const limit = maxSafeStop(leverage, config.liquidationShare);
  if (out >= limit) {
    out = Math.max(config.slMin, limit * (1 - Number.EPSILON));
    stopClamp = 'liquidation';
  }
  return { sl: out, stopClamp };
}

/**
 * Seed 004's fail-safes, applied to the adjusted levels: SL clamped to [0.1%, 2%] and below 80%
 * of the liquidation distance; TP1 < TP2 < TP3 (all finite and > 0), else the configured static
 * v3 levels, whose stop goes through the same clamps. Pure.
 */
export function applyExitFailSafes(raw: LevelSet, leverage: number, config: ExitBrainConfig): FailSafeResult {
  const orderOk = raw.tp1 > 0 && raw.tp1 < raw.tp2 && raw.tp2 < raw.tp3 && Number.isFinite(raw.tp3);
  const slOk = Number.isFinite(raw.sl) && raw.sl > 0;
  if (!orderOk || !slOk) {
    const s = config.staticLevels;
    const stop = clampStop(s.sl, leverage, config);
    return {
      levels: { tp1: s.tp1, tp2: s.tp2, tp3: s.tp3, sl: stop.sl },
      stopClamp: stop.stopClamp,
      fallbackReason: orderOk ? 'sl-invalid' : 'tp-order',
    };
  }
  const stop = clampStop(raw.sl, leverage, config);
  return { levels: { ...raw, sl: stop.sl }, stopClamp: stop.stopClamp, fallbackReason: null };
}
