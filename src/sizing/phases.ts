import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { HARD_LEVERAGE_CAP, PROHIBITED_LEVERAGE } from '../core/leverage-limit.js';

/** Seed 003's phases: 1 Launch, 2 Growth, 3 Scale, 4 Target. */
export type PhaseNumber = 1 | 2 | 3 | 4;
export const PHASE_NUMBERS: readonly PhaseNumber[] = [1, 2, 3, 4];

/** Seed 003's numbers for one phase: the defaults of its schema. */
interface PhaseDefaults {
  readonly name: 'launch' | 'growth' | 'scale' | 'target';
  readonly leverage: number;
  readonly maxPositionUsd: number;
  readonly dailyVolumeTargetUsd: number;
  readonly maxTradesPerDay: number;
  readonly growthMultiplier: number;
  readonly dailyProfitUsd: { readonly min: number; readonly max: number | null };
  readonly minDays: number;
}

/**
 * One phase's schema, every field defaulting to the seed's number for that phase, so a config
 * overrides just the fields it names.
 */
function phaseSchema(d: PhaseDefaults) {
  return z
    .object({
      name: z.literal(d.name).default(d.name),
      /** Phase leverage; the effective cap is min(this, maxPortfolioLeverage) (ruling 3). */
      leverage: z
        .number()
        .positive()
        .refine((v) => v < PROHIBITED_LEVERAGE, `${PROHIBITED_LEVERAGE}× or more is prohibited (seed 003); allowed: > 0 and ≤ ${HARD_LEVERAGE_CAP}`)
        .refine((v) => v <= HARD_LEVERAGE_CAP, `above the ${HARD_LEVERAGE_CAP}× hard cap; allowed: > 0 and ≤ ${HARD_LEVERAGE_CAP}`)
        .default(d.leverage),
      /** Seed 003 "Max Position Size", USD. */
      maxPositionUsd: z.number().positive().default(d.maxPositionUsd),
      /** Seed 003 "Target Daily Volume", USD: also the daily volume tracker's stop. */
      dailyVolumeTargetUsd: z.number().positive().default(d.dailyVolumeTargetUsd),
      /**
       * Seed 003's DailyVolumeTracker `max_trades` (40/150/500/1000): trades (fills) per UTC day
       * after which new entries stop, like the volume target; exits and hedges continue.
       */
      maxTradesPerDay: z.number().int().positive().default(d.maxTradesPerDay),
      /** Progressive sizer's phase multiplier of the initial notional (seed 003: 1/1.5/2.5/5). */
      growthMultiplier: z.number().positive().default(d.growthMultiplier),
      /**
       * Seed 003 "Success Metrics", over the phase window: ≥ 95% of round trips with PnL ≥ 0 (net
       * of fees), daily volume ≥ target, 0 manual interventions, daily profit in the range.
       */
      successCriteria: z
        .object({
          /** Share of round trips with PnL ≥ 0 (seed 003: 95%). */
          minNonNegativeShare: z.number().min(0).max(1).default(0.95),
          /** Manual interventions allowed in the window (seed 003: 0). */
          maxManualInterventions: z.number().int().min(0).default(0),
          /** Seed 003's daily profit range, USD. Only `min` gates; `max` is the seed's projection, not a ceiling. */
          dailyProfitUsd: z
            .object({
              min: z.number().nonnegative().default(d.dailyProfitUsd.min),
              max: z.number().positive().nullable().default(d.dailyProfitUsd.max),
            })
            .strict()
            .prefault({})
            .refine((r) => r.max === null || r.min <= r.max, { message: 'min must be ≤ max', path: ['min'] }),
          /** Days of data the window must hold before the gate can open (ours: the seed's phase durations). */
          minDays: z.number().int().positive().default(d.minDays),
          /** Round trips the window must hold, so 95% of a handful proves nothing (ours). */
          minRoundTrips: z.number().int().positive().default(100),
        })
        .strict()
        .prefault({}),
    })
    .strict()
    .prefault({});
}

/** All four phases; each field defaults to seed 003's number, any field can be overridden. */
export const phasesSchema = z
  .object({
    1: phaseSchema({
      name: 'launch',
      leverage: 5,
      maxPositionUsd: 10_000,
      dailyVolumeTargetUsd: 20_000,
      maxTradesPerDay: 40,
      growthMultiplier: 1,
      dailyProfitUsd: { min: 20, max: 40 },
      minDays: 28, // weeks 1–4
    }),
    2: phaseSchema({
      name: 'growth',
      leverage: 10,
      maxPositionUsd: 25_000,
      dailyVolumeTargetUsd: 100_000,
      maxTradesPerDay: 150,
      growthMultiplier: 1.5,
      dailyProfitUsd: { min: 100, max: 200 },
      minDays: 60, // months 2–3
    }),
    3: phaseSchema({
      name: 'scale',
      leverage: 15,
      maxPositionUsd: 75_000,
      dailyVolumeTargetUsd: 500_000,
      maxTradesPerDay: 500,
      growthMultiplier: 2.5,
      dailyProfitUsd: { min: 500, max: 1_000 },
      minDays: 90, // months 4–6
    }),
    4: phaseSchema({
      name: 'target',
      leverage: 20,
      maxPositionUsd: 400_000,
      dailyVolumeTargetUsd: 1_000_000,
      maxTradesPerDay: 1_000,
      growthMultiplier: 5,
      dailyProfitUsd: { min: 2_000, max: null },
      minDays: 180, // months 7–12
    }),
  })
  .strict()
  .prefault({});

export type Phases = z.output<typeof phasesSchema>;
export type PhaseParams = Phases[PhaseNumber];
export type PhaseSuccessCriteria = PhaseParams['successCriteria'];

/** Seed 003's phases, parsed from the schema's defaults. */
export const DEFAULT_PHASES: Phases = phasesSchema.parse({});

/**
 * The phase number, checked.
 * @throws InputError (E_INPUT_INVALID) unless `phase` is 1, 2, 3 or 4 (seed 003's `.get(phase, 1.0)`
 * silently used phase 1's numbers; an unknown phase is a bug, not a default).
 */
export function requirePhase(phase: number): PhaseNumber {
  if (phase === 1 || phase === 2 || phase === 3 || phase === 4) return phase;
  throw new InputError('phase', `must be 1, 2, 3 or 4, got ${String(phase)}`);
}

/** Parameters of one phase. @throws InputError (E_INPUT_INVALID) on an unknown phase. */
export function phaseParams(phase: number, phases: Phases = DEFAULT_PHASES): PhaseParams {
  return phases[requirePhase(phase)];
}
