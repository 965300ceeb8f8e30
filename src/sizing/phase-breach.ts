import { z } from 'zod';
import { requireFinite } from '../core/validation.js';
import { requirePhase, type PhaseNumber } from './phases.js';
import type { RoundTripPnl } from './phase-gate.js';

/**
 * What counts as a breach that rolls a bot back one phase (ruling 7; seed 003 "Emergency rollback
 * to previous phase"). Ours, since the seed names the rollback but not its trigger:
 * 1. a loss-limit circuit breaker (ruling 2: asset day, portfolio day or month) tripped during the
 *    current phase, or
 * 2. over the last `window` round trips of the current phase (at least `minRoundTrips` of them),
 *    the share with PnL ≥ 0 fell below `minNonNegativeShare`: the very property a gate promotes on
 *    (95%), with slack so that noise around the gate's threshold does not flap phases.
 */
export const phaseBreachConfigSchema = z
  .object({
    /** Trailing round trips the share is measured over. */
    window: z.number().int().positive().default(50),
    /** Fewer round trips than this in the window: too few to judge, no share breach. */
    minRoundTrips: z.number().int().positive().default(20),
    /** Share of round trips with PnL ≥ 0 below which the phase is breached. */
    minNonNegativeShare: z.number().min(0).max(1).default(0.9),
  })
  .strict()
  .refine((c) => c.minRoundTrips <= c.window, { message: 'minRoundTrips must be ≤ window', path: ['minRoundTrips'] });

export type PhaseBreachConfig = z.output<typeof phaseBreachConfigSchema>;

export const DEFAULT_PHASE_BREACH_CONFIG: PhaseBreachConfig = phaseBreachConfigSchema.parse({});

export interface PhaseBreachInput {
  readonly phase: number;
  /** Round trips closed since the current phase began, oldest first (PnL net of fees, USD). */
  readonly roundTrips: readonly RoundTripPnl[];
  /** A loss-limit breaker tripped since the current phase began. */
  readonly lossLimitTripped: boolean;
}

export type BreachReason =
  | { readonly kind: 'loss_limit' }
  | { readonly kind: 'non_negative_share'; readonly actual: number; readonly floor: number; readonly roundTrips: number };

export interface PhaseBreach {
  readonly breached: boolean;
  readonly reasons: readonly BreachReason[];
  /** The phase to roll back to: one below, or `null` in phase 1 (nothing below: halt entries instead). */
  readonly rollbackTo: PhaseNumber | null;
}

/**
 * Detects a breach of the current phase (see {@link phaseBreachConfigSchema} for the definition).
 * Because inputs are scoped to the current phase, a rollback starts a fresh window and one breach
 * cannot cascade through several phases.
 * @throws InputError (E_INPUT_INVALID) on an unknown phase or a non-finite PnL.
 */
export function detectBreach(i: PhaseBreachInput, config: PhaseBreachConfig = DEFAULT_PHASE_BREACH_CONFIG): PhaseBreach {
  const phase = requirePhase(i.phase);
  i.roundTrips.forEach((t, k) => requireFinite(`roundTrips[${k}].pnl`, t.pnl));
  const recent = i.roundTrips.slice(-config.window);

  const reasons: BreachReason[] = [];
  if (i.lossLimitTripped) reasons.push({ kind: 'loss_limit' });
  if (recent.length >= config.minRoundTrips) {
    const share = recent.filter((t) => t.pnl >= 0).length / recent.length;
    if (share < config.minNonNegativeShare) {
      reasons.push({ kind: 'non_negative_share', actual: share, floor: config.minNonNegativeShare, roundTrips: recent.length });
    }
  }
  const breached = reasons.length > 0;
  return { breached, reasons, rollbackTo: breached && phase > 1 ? ((phase - 1) as PhaseNumber) : null };
}
