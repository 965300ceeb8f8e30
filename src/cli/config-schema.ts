import { z } from 'zod';
import { coinbaseConfigSchema } from '../../adapters/coinbase/coinbase-config.js';
import { nadoConfigSchema } from '../../adapters/nado/nado-config.js';
import { driftConfigSchema } from '../../adapters/drift/drift-config.js';
import { paperConfigSchema } from '../../adapters/paper/paper-config.js';
import { replayConfigSchema } from '../../adapters/replay/replay-config.js';
import { simMarketConfigSchema } from '../../adapters/sim/sim-config.js';
import { exitBrainConfigSchema } from '../exits/exit-config.js';
import { hedgeConfigSchema } from '../hedging/hedge-config.js';
import { allocationTierConfigSchema } from '../risk/allocation-tier.js';
import { protectionConfigSchema } from '../risk/liquidation-protection.js';
import { riskLevelThresholdsSchema } from '../risk/liquidation-risk-level.js';
import { lossLimitsSchema } from '../risk/loss-limits.js';
import { riskLimitsSchema } from '../risk/risk-limits.js';
import { phaseBreachConfigSchema } from '../sizing/phase-breach.js';
import { phasesSchema } from '../sizing/phases.js';
import { riskMultiplierConfigSchema } from '../sizing/risk-multiplier.js';
import { dnPairConfigSchema } from '../../strategies/dn-pair/dn-pair-config.js';

const botSchema = z
  .object({
    /** Unique bot id: rows in SQLite and client order id prefixes derive from it. */
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'must be 1–32 letters, digits, - or _, starting with a letter or digit')
      .default('dn-eth-sol'),
    strategy: z.literal('dn-pair').default('dn-pair'),
    /** Base notional per leg before caps (seed 003 Phase 1: $500–$1,000 average trade size). */
    baseNotionalUsd: z.number().positive().max(10_000_000).default(500),
    dnPair: dnPairConfigSchema.prefault({}),
  })
  .strict();

/**
 * The whole configuration: parsed once at start, strict (unknown keys are errors), every default
 * here and nowhere else.
 */
export const configSchema = z
  .object({
    /** Where an editor finds this schema (`dnbot config schema`); ignored by dnbot. */
    $schema: z.string().optional(),
    mode: z.enum(['paper', 'replay', 'live']).default('paper'),
    /** sim and replay are offline; nado, coinbase and drift are real venues (paper on their live data, or live). */
    venue: z.enum(['sim', 'replay', 'nado', 'coinbase', 'drift']).default('sim'),
    /** Seed of the simulated market; the same seed and config give the same orders. */
    seed: z.number().int().min(0).max(2_147_483_647).default(1),
    /** The SQLite file holding all state. */
    db: z.string().min(1).default('data/dnbot.db'),
    run: z
      .object({
        /** Market time per wall time: 60 = a minute per second; 'max' = as fast as the CPU allows. */
        speed: z
          .union([z.literal('max'), z.number().positive().max(1_000_000)], { error: "must be 'max' or a number > 0 (market time per wall time)" })
          .default(60),
        /** Bound on the run in market time (ms); absent = until stopped or data ends. */
        durationMs: z.number().int().positive().optional(),
        /** Wall time between status lines. */
        statusIntervalMs: z.number().int().min(100).default(3_000),
        /** Market time between equity snapshots (and resume points) in SQLite. */
        snapshotIntervalMs: z.number().int().min(1_000).default(60_000),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
        /** Also write JSON logs to this file. */
        file: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    risk: z
      .object({
        /** Share of collateral × leverage that may be used (seed 003: 0.8). */
        safetyFactor: z.number().gt(0).max(1).default(0.8),
        /** Seed 002's RiskLimits; `maxPortfolioLeverage` also caps the phase leverage (ruling 3). */
        limits: riskLimitsSchema.prefault({}),
        /** Seed 001's loss limits (2% per asset per day, 3% portfolio per day, 8% per month). */
        lossLimits: lossLimitsSchema.prefault({}),
        /** Seed 001's allocation tiers: initial margin in use ÷ equity is capped by the tier (ruling 2). */
        allocation: allocationTierConfigSchema.prefault({}),
        /** Seed 001: a position's margin may use at most this share of the available capital. */
        capitalShare: z.number().gt(0).max(1).default(0.1),
        /** Seed 000's dynamic risk multiplier. */
        multiplier: riskMultiplierConfigSchema.prefault({}),
        /** Realised volatility over its long-run median (ruling 4): 1-minute returns in windows. */
        volatility: z
          .object({
            windowBars: z.number().int().min(2).max(1_440).default(60),
            minHistoryWindows: z.number().int().min(1).max(1_000).default(24),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** Portfolio risk and the liquidation monitor (seed 002). */
    portfolio: z
      .object({
        /** Market time between evaluations. */
        intervalMs: z.number().int().min(1_000).default(60_000),
        /**
         * 1-minute returns in the VaR and volatility window. Two days by default: the 1-day VaR
         * is then taken from 1,441 overlapping one-day windows (a one-day window holds too few
         * and falls back to √t, which overstates a mean-reverting pair's risk 3–4×).
         */
        windowBars: z.number().int().min(30).max(100_000).default(2_880),
        /** Annualised volatility assumed until the window has 30 returns. */
        fallbackVolatility: z.number().positive().max(10).default(0.8),
        thresholds: riskLevelThresholdsSchema.prefault({}),
        protection: protectionConfigSchema.prefault({}),
        /** Portfolio-level hedging: the emergency hedge outside its band (pairs keep their own band). */
        hedging: hedgeConfigSchema.prefault({}),
      })
      .strict()
      .prefault({}),
    /** ExitBrain v3.5 (seed 004). `enabled` defaults to env ADAPTIVE_LEVERAGE_ENABLED, then true. */
    exitBrain: exitBrainConfigSchema.prefault({}),
    /** Seed 003's phases 1–4: leverage, max position, daily volume target, growth, success criteria. */
    phases: phasesSchema.prefault({}),
    /** When a phase is rolled back automatically. */
    phaseBreach: phaseBreachConfigSchema.prefault({}),
    /** The local status API and dashboard. Loopback by default; any other address needs DNBOT_CONTROL_TOKEN at start. */
    api: z
      .object({
        enabled: z.boolean().default(true),
        /** Address to bind. Beyond loopback, every read also needs the bearer token. */
        host: z.string().min(1).max(253).regex(/^[A-Za-z0-9.:_-]+$/, 'must be an IP address or host name').default('127.0.0.1'),
        /** 0 picks a free port. */
        port: z.number().int().min(0).max(65_535).default(8787),
        /**
         * Host names the API answers to besides loopback (127.0.0.1, localhost, ::1) and `host`:
         * any other Host header gets 421, so a web page whose name resolves to 127.0.0.1 (DNS
         * rebinding) cannot read the API.
         */
        hostNames: z.array(z.string().min(1).max(253).regex(/^[A-Za-z0-9.:_-]+$/, 'must be a host name')).max(32).default([]),
        /** Reads (`/status`, `/health`) are served from a document refreshed at most this often (ms), so reads cannot starve the bot. */
        readCacheMs: z.number().int().min(0).max(60_000).default(250),
        /** Wall time between status pushes on `GET /events` (server-sent events). */
        pushIntervalMs: z.number().int().min(100).max(60_000).default(1_000),
        /** When `/health` answers 503 (a stale feed, a failed reconciliation and a critical risk level always do). */
        health: z
          .object({
            /** p99 event-loop delay (ms, over 10 s windows) above which the process is too busy. */
            maxEventLoopLagMs: z.number().int().min(10).max(60_000).default(1_000),
            /** A tripped loss-limit breaker fails /health (it needs an operator's look). */
            failOnBreaker: z.boolean().default(true),
            /** A halted bot fails /health (off: an operator halted it on purpose). */
            failOnHalt: z.boolean().default(false),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** Telegram and webhook notifications (channels from the environment: see .env.example). */
    notify: z
      .object({
        /** Off: no message even with channels configured. */
        enabled: z.boolean().default(true),
        /** Messages per minute per channel (Telegram allows about 20 per chat) and the burst before it applies. */
        perMinute: z.number().positive().max(600).default(20),
        burst: z.number().int().min(1).max(100).default(10),
        /** Pair openings and closings gathered into one message per window (wall time). */
        batchWindowMs: z.number().int().min(0).max(3_600_000).default(60_000),
        /** How often the bot's state is looked at (wall time). */
        pollMs: z.number().int().min(10).max(60_000).default(2_000),
        /** Attempts per message and the first backoff (doubled each retry). */
        attempts: z.number().int().min(1).max(10).default(5),
        backoffMs: z.number().int().min(1).max(600_000).default(1_000),
        /** A summary of each UTC day (market time) as it ends. */
        dailySummary: z.boolean().default(true),
        /** Replays are quiet unless this is on (a replay covers weeks in seconds). */
        inReplay: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    execution: z
      .object({
        /** How long post-only entries rest before a one-legged pair is repaired or both are cancelled. */
        entryTimeoutMs: z.number().int().positive().default(30_000),
        /** How long post-only exits rest before IOC. */
        exitTimeoutMs: z.number().int().positive().default(30_000),
        /** IOC limit distance from the touch (seed 003: 10 bps). */
        maxSlippageBps: z.number().positive().max(500).default(10),
        /** Re-quotes of a post-only order rejected for crossing. */
        maxRequotes: z.number().int().min(0).max(10).default(2),
        /** Tolerated hedge imbalance as a fraction of a pair's notional. */
        imbalanceTolerance: z.number().positive().max(1).default(0.1),
        /**
         * Largest notional per leg of one slice of an entry or exit, USD (seed 003: several small
         * orders). The next slice starts only once both legs have filled this one, so one leg runs
         * ahead of the other by at most a slice plus what fills while the other reacts.
         */
        sliceUsd: z.number().positive().max(1_000_000).default(100),
        /** Unhedged notional above which the lagging leg crosses by IOC (within maxSlippageBps) at once, USD. */
        nakedMaxUsd: z.number().min(0).max(1_000_000).default(100),
        /** How long an unhedged notional may rest post-only at the touch before the lagging leg crosses, ms. */
        nakedMaxMs: z.number().int().min(0).max(600_000).default(10_000),
        /**
         * |net delta| ÷ gross of an open pair (the legs' notionals drift apart as the coins'
         * prices diverge) above which one post-only order at the touch brings them back together
         * (0 = off). The IOC trim past imbalanceTolerance stays the backstop.
         */
        driftShare: z.number().min(0).max(1).default(0.01),
        /** How long that order rests before it is re-posted at the new touch, ms. */
        driftRestMs: z.number().int().positive().max(600_000).default(30_000),
        rateLimit: z
          .object({
            perSecond: z.number().positive().default(10),
            burst: z.number().positive().default(20),
          })
          .strict()
          .prefault({}),
        /** Delay before looking up an order whose outcome is unknown. */
        resolveDelayMs: z.number().int().positive().default(1_000),
      })
      .strict()
      .prefault({}),
    bots: z
      .array(botSchema)
      .min(1)
      .prefault([{}])
      .refine((bots) => new Set(bots.map((b) => b.id)).size === bots.length, 'bot ids must be unique'),
    sim: simMarketConfigSchema.prefault({}),
    paper: paperConfigSchema.prefault({}),
    replay: replayConfigSchema.prefault({}),
    nado: nadoConfigSchema.prefault({}),
    coinbase: coinbaseConfigSchema.prefault({}),
    drift: driftConfigSchema.prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    const offline = c.venue === 'sim' || c.venue === 'replay';
    if (c.mode === 'live' && offline) ctx.addIssue({ code: 'custom', path: ['mode'], message: `live trading needs a real venue (nado, coinbase or drift), not ${c.venue}` });
    if (c.mode === 'replay' && c.venue !== 'replay') ctx.addIssue({ code: 'custom', path: ['mode'], message: 'replay mode runs on the replay venue (dnbot replay)' });
  });

export type DnbotConfig = z.output<typeof configSchema>;
export type BotConfig = DnbotConfig['bots'][number];
