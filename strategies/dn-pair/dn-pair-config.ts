import { z } from 'zod';

/**
 * Volume mode: matched pairs cycled on a cadence, post-only on both legs, exited post-only at a
 * small target or a time limit. Every default here.
 */
export const volumeModeConfigSchema = z
  .object({
    /**
     * Shortest time between the starts of two cycles, ms of market time. 5 minutes: chosen on the
     * April 2021 candles (best of 1/5/10/15 minutes on both halves of April), never on May.
     */
    cycleIntervalMs: z.number().int().positive().default(300_000),
    /** Quote only while each leg's book spread is within this, bps of the mid (seed 003's spread target: 20). */
    maxBookSpreadBps: z.number().positive().max(1_000).default(20),
    /** Exit (post-only) once the pair's return on one leg's notional reaches this, bps. */
    takeProfitBps: z.number().positive().max(1_000).default(5),
    /** Exit (post-only first, then IOC) once a pair has been open this long, ms of market time. */
    maxHoldMs: z.number().int().positive().default(600_000),
    /** Stop out (urgent, IOC) at this loss on one leg's notional, bps. */
    stopLossBps: z.number().positive().max(10_000).default(50),
    /** Times an exit's unfilled post-only orders are re-posted at the new touch (each after `execution.exitTimeoutMs`) before IOC. */
    exitReposts: z.number().int().min(0).max(100).default(0),
    /**
     * A volume bot's `execution.nakedMaxMs`: how long one leg's fill may wait for its post-only
     * hedge before the other leg crosses, ms. 0: at once. Volume mode earns nothing by holding a
     * leg alone, and waiting for the hedge to fill post-only left 4-5% of gross unhedged on time
     * average (May 1-7 2021, honest replay) for the same median cost.
     */
    nakedMaxMs: z.number().int().min(0).max(600_000).default(0),
    /**
     * Start a cycle only while the volatility factor (realised 1-minute vol over its long-run
     * median, the sizing's ruling 4) is at most this; null: any. Unknown (too little history): any.
     * A maker fill on the honest replay costs about a path step's move, so quiet minutes are
     * cheaper volume: 1.0 was best on April 2021 and raised May's median by 3.9 bps at phase-1
     * size, but shut whole volatile days (README, strategy results). Off by default.
     */
    maxVolatilityFactor: z.number().positive().max(100).nullable().default(null),
  })
  .strict();

export type VolumeModeConfig = z.infer<typeof volumeModeConfigSchema>;

/** Parameters of the DN pair strategy: signal mode (v1) and volume mode. */
export const dnPairConfigSchema = z
  .object({
    /**
     * `signal`: enter on a stretched spread z-score, exit by ExitBrain or the signal. `volume`: cycle
     * matched pairs on a cadence to generate volume cheaply (see `volume`).
     */
    mode: z.enum(['signal', 'volume']).default('signal'),
    volume: volumeModeConfigSchema.prefault({}),
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
