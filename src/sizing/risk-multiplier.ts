import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { requireFinite, requireNonNegative } from '../core/validation.js';

/**
 * Seed 000's dynamic risk multiplier, as ruled (ruling 1):
 * `(min(2·signal, 2) + 0.5·confidence) × (1 + 10·avgPnlLast50)`, clamped to [0.2, 3.0];
 * signal strength below 0.5 gives the floor (a defensive gate, the table's last row); no trades
 * yet gives a performance factor of 1.0. It scales entry sizes only.
 */
export const riskMultiplierConfigSchema = z
  .object({
    /** Weight of signal strength (seed 000: 2.0). */
    signalWeight: z.number().nonnegative().default(2),
    /** Cap of the signal component (seed 000: 2.0). */
    signalCap: z.number().nonnegative().default(2),
    /** Weight of confidence (seed 000: 0.5). */
    confidenceWeight: z.number().nonnegative().default(0.5),
    /** Performance coefficient per quote-currency unit of average round-trip PnL (seed 000: 10, "$0.10 profit = 2x"). */
    pnlCoefficient: z.number().nonnegative().default(10),
    /** Lower bound of the multiplier (seed 000: 0.2). */
    min: z.number().positive().default(0.2),
    /** Upper bound of the multiplier (seed 000: 3.0; never above it: the multiplier scales every entry). */
    max: z.number().positive().max(3, 'at most 3 (seed 000\'s upper bound)').default(3),
    /** Ruling 1: signal strength strictly below this gives the floor. */
    defensiveSignalBelow: z.number().nonnegative().default(0.5),
    /** Recalculate after this many round trips since the last calculation (seed 000: 10). */
    recalcEveryTrades: z.number().int().positive().default(10),
    /** Recalculate after this much time since the last calculation, ms (seed 000: 1 hour). */
    recalcEveryMs: z.number().int().positive().default(3_600_000),
  })
  .strict()
  .refine((c) => c.min <= c.max, { message: 'min must be ≤ max', path: ['min'] });

export type RiskMultiplierConfig = z.output<typeof riskMultiplierConfigSchema>;

/** Seed 000's numbers. */
export const DEFAULT_RISK_MULTIPLIER_CONFIG: RiskMultiplierConfig = riskMultiplierConfigSchema.parse({});

export interface RiskMultiplierInput {
  /** Signal strength, ≥ 0 (components above 1 are capped by the formula). */
  readonly signalStrength: number;
  /** Confidence in [0, 1]. */
  readonly confidence: number;
  /**
   * Average PnL per round trip over the last 50, in quote currency (USD), net of fees.
   * `null`/absent: no round trips yet → performance factor 1.0.
   */
  readonly avgPnlLast50?: number | null | undefined;
}

/** Why the multiplier has the value it has: the defensive gate, a bound, or the raw formula. */
export type RiskMultiplierBound = 'defensive' | 'floor' | 'cap' | 'none';

export interface RiskMultiplierResult {
  /** The multiplier to apply to entry sizes, in [min, max]. */
  readonly multiplier: number;
  readonly signalComponent: number;
  readonly confidenceComponent: number;
  readonly performanceFactor: number;
  /** `(signal + confidence) × performance` before clamping (may be negative). */
  readonly raw: number;
  readonly bound: RiskMultiplierBound;
}

/**
 * The multiplier and its components, for the recalculation log and the status API.
 * @throws InputError (E_INPUT_INVALID) when signal strength is negative or not finite, confidence
 * is outside [0, 1], or the average PnL is not finite.
 */
export function computeRiskMultiplier(
  input: RiskMultiplierInput,
  config: RiskMultiplierConfig = DEFAULT_RISK_MULTIPLIER_CONFIG,
): RiskMultiplierResult {
  const signal = requireNonNegative('signalStrength', input.signalStrength);
  const confidence = requireNonNegative('confidence', input.confidence);
  if (confidence > 1) throw new InputError('confidence', `must be in [0, 1], got ${confidence}`);
  const avg = input.avgPnlLast50;
  const performanceFactor = avg === null || avg === undefined ? 1 : 1 + config.pnlCoefficient * requireFinite('avgPnlLast50', avg);

  const signalComponent = Math.min(signal * config.signalWeight, config.signalCap);
  const confidenceComponent = confidence * config.confidenceWeight;
  const raw = (signalComponent + confidenceComponent) * performanceFactor;
  const parts = { signalComponent, confidenceComponent, performanceFactor, raw };

  if (signal < config.defensiveSignalBelow) return { ...parts, multiplier: config.min, bound: 'defensive' };
  // Written as !(>) so a NaN raw (0 × an overflowed performance factor) fails closed to the floor.
  if (!(raw > config.min)) return { ...parts, multiplier: config.min, bound: 'floor' };
  if (raw >= config.max) return { ...parts, multiplier: config.max, bound: 'cap' };
  return { ...parts, multiplier: raw, bound: 'none' };
}

/**
 * Seed 000's multiplier as a plain number in [min, max] (0.2–3.0 by default).
 * @throws InputError (E_INPUT_INVALID) — see {@link computeRiskMultiplier}.
 */
export function riskMultiplier(input: RiskMultiplierInput, config: RiskMultiplierConfig = DEFAULT_RISK_MULTIPLIER_CONFIG): number {
  return computeRiskMultiplier(input, config).multiplier;
}

export interface RecalculationClock {
  /** Round trips closed since the last calculation (integer ≥ 0). */
  readonly tradesSinceLast: number;
  /** Time since the last calculation, ms (≥ 0); `null` when never calculated. */
  readonly msSinceLast: number | null;
}

/**
 * Seed 000: recalculate every 10 round trips or every hour, whichever comes first (both
 * configurable); always when never calculated.
 * @throws InputError (E_INPUT_INVALID) on a negative or non-integer trade count or a negative or
 * non-finite elapsed time (a clock running backwards is a bug upstream, not a reason to skip).
 */
export function shouldRecalculate(c: RecalculationClock, config: RiskMultiplierConfig = DEFAULT_RISK_MULTIPLIER_CONFIG): boolean {
  const trades = requireNonNegative('tradesSinceLast', c.tradesSinceLast);
  if (!Number.isInteger(trades)) throw new InputError('tradesSinceLast', `must be an integer, got ${trades}`);
  if (c.msSinceLast === null) return true;
  const ms = requireNonNegative('msSinceLast', c.msSinceLast);
  return trades >= config.recalcEveryTrades || ms >= config.recalcEveryMs;
}
