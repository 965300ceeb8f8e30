import { z } from 'zod';
import { InputError } from '../core/errors.js';

/** Liquidation risk levels, mildest first (seed 002's `risk_level`). */
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

const HOUR_MS = 3_600_000;
const percent = z.number().positive().max(100_000);
const ms = z.number().nonnegative();

/**
 * Thresholds of {@link riskLevel}. Health thresholds are percent (ruling 6); a level applies when the
 * value is strictly BELOW its threshold, so a value exactly on a line gets the milder level — as
 * `checkRiskLimits` treats `minHealthRatio`. Defaults: health < 300% medium, < 200% high, < 150%
 * (seed 002's `min_health_ratio`) critical; time to liquidation < 7 days medium, < 1 day high,
 * < 1 hour critical; a worst stress health below 100% (a listed scenario would liquidate) raises
 * the level by one.
 */
export const riskLevelThresholdsSchema = z
  .object({
    mediumBelow: percent.default(300),
    highBelow: percent.default(200),
    /** Keep equal to `riskLimits.minHealthRatio` (seed 002: 150). */
    criticalBelow: percent.default(150),
    /** Worst stress-scenario health below this raises the level one step. */
    stressEscalationBelow: z.number().nonnegative().max(100_000).default(100),
    mediumBelowMs: ms.default(7 * 24 * HOUR_MS),
    highBelowMs: ms.default(24 * HOUR_MS),
    criticalBelowMs: ms.default(HOUR_MS),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (!(t.criticalBelow <= t.highBelow && t.highBelow <= t.mediumBelow)) {
      ctx.addIssue({ code: 'custom', path: ['highBelow'], message: 'need criticalBelow ≤ highBelow ≤ mediumBelow' });
    }
    if (!(t.criticalBelowMs <= t.highBelowMs && t.highBelowMs <= t.mediumBelowMs)) {
      ctx.addIssue({ code: 'custom', path: ['highBelowMs'], message: 'need criticalBelowMs ≤ highBelowMs ≤ mediumBelowMs' });
    }
  });

export type RiskLevelThresholds = z.output<typeof riskLevelThresholdsSchema>;
export const DEFAULT_RISK_LEVEL_THRESHOLDS: RiskLevelThresholds = riskLevelThresholdsSchema.parse({});

/** Inputs of {@link riskLevel}. `null`/absent means "nothing to fear from this measure". */
export interface RiskLevelInput {
  /** Current health ratio, percent; null when no margin is required (no positions). */
  readonly healthRatio: number | null;
  /** Lowest health across stress scenarios, percent. */
  readonly worstStressHealth?: number | null;
  /** Estimated time to liquidation, ms (see `timeToLiquidation`). */
  readonly timeToLiquidationMs?: number | null;
  readonly thresholds?: RiskLevelThresholds;
}

/** The level with the measures that set it, for logs and the status API. */
export interface RiskLevelDetail {
  readonly level: RiskLevel;
  readonly byHealth: RiskLevel;
  readonly byTime: RiskLevel;
  readonly stressEscalated: boolean;
  readonly reasons: readonly string[];
}

const rank = (l: RiskLevel): number => RISK_LEVELS.indexOf(l);
const atRank = (k: number): RiskLevel => RISK_LEVELS[Math.max(0, Math.min(RISK_LEVELS.length - 1, k))] ?? 'critical';

function below(x: number | null, medium: number, high: number, critical: number): RiskLevel {
  if (x === null) return 'low';
  if (x < critical) return 'critical';
  if (x < high) return 'high';
  if (x < medium) return 'medium';
  return 'low';
}

function optionalNumber(field: string, x: number | null | undefined): number | null {
  if (x === null || x === undefined) return null;
  if (Number.isNaN(x)) throw new InputError(field, 'must be a number or null, got NaN');
  return x;
}

/**
 * The liquidation risk level with its reasons: the worse of the health level and the
 * time-to-liquidation level, then one step worse when the worst stress health is below
 * `stressEscalationBelow` (never past critical). Pure.
 * @throws InputError (E_INPUT_INVALID) on a NaN measure or a negative time.
 */
export function riskLevelDetail(i: RiskLevelInput): RiskLevelDetail {
  const t = i.thresholds ?? DEFAULT_RISK_LEVEL_THRESHOLDS;
  const health = optionalNumber('healthRatio', i.healthRatio);
  const stress = optionalNumber('worstStressHealth', i.worstStressHealth);
  const time = optionalNumber('timeToLiquidationMs', i.timeToLiquidationMs);
  if (time !== null && time < 0) throw new InputError('timeToLiquidationMs', `must be ≥ 0, got ${time}`);
  const byHealth = below(health, t.mediumBelow, t.highBelow, t.criticalBelow);
  const byTime = below(time, t.mediumBelowMs, t.highBelowMs, t.criticalBelowMs);
  const reasons: string[] = [];
  if (byHealth !== 'low' && health !== null) reasons.push(`health ${health.toFixed(1)}% → ${byHealth}`);
  if (byTime !== 'low' && time !== null) reasons.push(`time to liquidation ${(time / HOUR_MS).toFixed(2)} h → ${byTime}`);
  const stressEscalated = stress !== null && stress < t.stressEscalationBelow;
  let k = Math.max(rank(byHealth), rank(byTime));
  if (stressEscalated) {
    k += 1;
    reasons.push(`worst stress health ${stress.toFixed(1)}% < ${t.stressEscalationBelow}% → one level up`);
  }
  return { level: atRank(k), byHealth, byTime, stressEscalated, reasons };
}

/** {@link riskLevelDetail}'s level alone. @throws InputError (E_INPUT_INVALID) as there. */
export function riskLevel(i: RiskLevelInput): RiskLevel {
  return riskLevelDetail(i).level;
}
