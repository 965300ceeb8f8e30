import { z } from 'zod';

/** Parameters of the DN pair strategy v1 (signal mode). */
export const dnPairConfigSchema = z
  .object({
    /** Leg A and leg B: one is bought, the other sold, at matched notional. */
    legA: z.string().min(1).default('ETH-PERP'),
    legB: z.string().min(1).default('SOL-PERP'),
    /** Rolling window of 1-minute bars for the hedge ratio and z-score. */
    windowBars: z.number().int().min(20).max(10_000).default(120),
    /** |z| at which a pair is entered. */
    entryZ: z.number().positive().max(10).default(1.5),
    /** |z| at or below which the spread has reverted and the pair is exited. */
    exitZ: z.number().min(0).max(10).default(0.3),
    /** |z| beyond which the spread has broken and the pair is stopped out. */
    stopZ: z.number().positive().max(20).default(4),
    /** Pair return (on one leg's notional) at which the pair is stopped out, as a fraction. */
    stopLossPct: z.number().positive().max(1).default(0.01),
    /** Longest a pair may be held before it is closed, ms of market time. */
    maxHoldMs: z.number().int().positive().default(2 * 3_600_000),
    /** Pause after a pair closes before the next entry, ms of market time. */
    cooldownMs: z.number().int().min(0).default(60_000),
    /**
     * Who closes pairs: `exitbrain` (ExitBrain's TP/SL ladder with partial harvests, plus the
     * max-hold time stop) or `signal` (v1: reversion, z/loss stop, max hold).
     */
    exits: z.enum(['exitbrain', 'signal']).default('exitbrain'),
  })
  .strict()
  .refine((c) => c.exitZ < c.entryZ && c.entryZ < c.stopZ, {
    message: 'requires exitZ < entryZ < stopZ',
    path: ['entryZ'],
  })
  .refine((c) => c.legA !== c.legB, { message: 'legA and legB must differ', path: ['legB'] });

export type DnPairConfig = z.infer<typeof dnPairConfigSchema>;
