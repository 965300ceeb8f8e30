import { z } from 'zod';
import { ConfigError } from '../../src/core/errors.js';
import { FEE_VENUES } from './venue-fees.js';

/**
 * Replay settings: instrument terms per symbol (recorded candles carry none), the synthetic
 * book drawn around each candle, and the intra-candle path. Every default lives here.
 */

/** Trading terms shared by every instrument, known or derived. */
const termsShape = {
  minNotional: z.number().nonnegative().default(10),
  maxLeverage: z.number().positive().max(1000).default(20),
  /** Fractions of notional; negative maker fee = rebate. Absent: the `fees` venue's published rate. */
  makerFeeRate: z.number().min(-0.01).max(0.01).optional(),
  takerFeeRate: z.number().min(-0.01).max(0.01).optional(),
  initialMarginRatio: z.number().positive().max(1).default(0.05),
  maintenanceMarginRatio: z.number().positive().max(1).default(0.03),
  fundingIntervalMs: z.number().int().positive().default(3_600_000),
};

/** One instrument's settings. `minSize` defaults to `lotSize`. */
export const instrumentSettingsSchema = z
  .object({
    tickSize: z.number().positive(),
    lotSize: z.number().positive(),
    minSize: z.number().positive().optional(),
    ...termsShape,
  })
  .strict()
  .refine((s) => s.maintenanceMarginRatio <= s.initialMarginRatio, {
    message: 'maintenanceMarginRatio must be <= initialMarginRatio',
    path: ['maintenanceMarginRatio'],
  })
  .transform((s) => ({ ...s, minSize: s.minSize ?? s.lotSize }));

export type InstrumentSettings = z.output<typeof instrumentSettingsSchema>;

/** Built-in terms for the symbols we ship data for; a config entry for a symbol replaces its row. */
const BUILT_IN_INSTRUMENTS: Readonly<Record<string, z.input<typeof instrumentSettingsSchema>>> = {
  'ETH-PERP': { tickSize: 0.01, lotSize: 0.001 },
  'SOL-PERP': { tickSize: 0.001, lotSize: 0.01 },
  'BTC-PERP': { tickSize: 0.1, lotSize: 0.0001 },
};

/**
 * Terms for a symbol without an entry, derived from its first price:
 * tick = `tickFractionOfPrice` × price and lot = `lotNotional` / price, each rounded to the
 * nearest power of ten (ETH at 2,000 → tick 0.01, lot 0.001).
 */
const fallbackSchema = z
  .object({
    tickFractionOfPrice: z.number().positive().max(0.01).default(1e-5),
    lotNotional: z.number().positive().default(1),
    ...termsShape,
  })
  .strict();

/** The synthetic L2 book drawn around each path price. */
const bookSchema = z
  .object({
    /** Distance from the path price to each touch; at least one tick. */
    halfSpreadBps: z.number().nonnegative().max(1000).default(1),
    levels: z.number().int().min(1).max(100).default(10),
    /** Distance between consecutive levels; at least one tick. */
    levelSpacingBps: z.number().nonnegative().max(1000).default(1),
    /** Touch depth per side as a fraction of the candle's quote volume (volume × close). */
    touchDepthVolumeShare: z.number().nonnegative().max(10).default(0.02),
    /** Floor on the touch depth per side, in quote units. */
    minTouchDepthUsd: z.number().positive().default(5_000),
    /** Level i holds touch depth × (1 + i × growth), in quote units. */
    depthGrowthPerLevel: z.number().nonnegative().max(10).default(0.5),
  })
  .strict();

/** A market time: ms since the epoch, or an ISO 8601 date / date-time (UTC when no zone is given). */
const marketTimeSchema = z
  .union([z.number().int().nonnegative(), z.string().min(4)])
  .transform((v, ctx) => {
    const ms = typeof v === 'number' ? v : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) || !v.includes('T') ? v : `${v}Z`);
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: `expected ms since the epoch or an ISO date such as 2021-05-01, got "${String(v)}"` });
      return z.NEVER;
    }
    return ms;
  });

/** Replay configuration. `replayConfigSchema.parse({})` gives the defaults. */
export const replayConfigSchema = z
  .object({
    /** Entries override the built-in ETH/SOL/BTC rows and add symbols; others use `fallbackInstrument`. */
    instruments: z
      .record(z.string().min(1), instrumentSettingsSchema)
      .default({})
      .transform((over) => ({ ...builtInInstruments(), ...over })),
    fallbackInstrument: fallbackSchema.prefault({}),
    /** Whose published entry-tier fees the instruments pay unless their entry sets its own (see venue-fees.ts). */
    fees: z.enum(FEE_VENUES).default('nado'),
    book: bookSchema.prefault({}),
    /**
     * How a candle becomes a price path. `bridge` (default): a seeded Brownian bridge through
     * open → high/low → close, `pointsPerMinute` points, the two series correlated as their
     * returns are. `adverse`: the extremes in the order least favourable to what the bot holds or
     * has resting. `ohlc`: the 4-point convention (`stepsPerCandle`), kept for comparison.
     */
    intrabar: z.enum(['bridge', 'ohlc', 'adverse']).default('bridge'),
    /** Path points per minute of candle for `bridge` and `adverse` (at least 4 per candle). */
    pointsPerMinute: z.number().int().min(4).max(600).default(12),
    /** Trailing 1-minute returns the bridge's cross-series correlation is estimated over. */
    correlationWindow: z.number().int().min(10).max(10_000).default(60),
    /** Seed of the bridge's draws; absent: the config's top-level `seed`. */
    pathSeed: z.number().int().min(0).max(2_147_483_647).optional(),
    /** Path points per candle for `ohlc`: O, first extreme, second extreme, C, plus interpolated points. */
    stepsPerCandle: z.number().int().min(4).max(60).default(4),
    /** Candle length; consecutive candles closer than this are rejected. */
    intervalMs: z.number().int().positive().default(60_000),
    /** Share of each candle's volume printed as trades, split evenly over the path points. */
    tradeVolumeShare: z.number().positive().max(1).default(1),
    /** Funding rate per interval on every mark event; candles carry no funding, so 0. */
    fundingRate: z.number().min(-0.1).max(0.1).default(0),
    /** Candles before the first replayed one, served by `history()`. */
    warmupBars: z.number().int().nonnegative().max(1_000_000).default(240),
    quoteAsset: z.string().min(1).default('USD'),
    /** First candle to replay (inclusive); earlier candles serve the warm-up. Absent: right after the warm-up. */
    from: marketTimeSchema.optional(),
    /** Candles at or after this are not replayed. Absent: to the end of the data. */
    to: marketTimeSchema.optional(),
  })
  .strict()
  .refine((c) => c.from === undefined || c.to === undefined || c.from < c.to, { message: 'requires from < to', path: ['to'] });

export type ReplayConfig = z.output<typeof replayConfigSchema>;

function builtInInstruments(): Record<string, InstrumentSettings> {
  const out: Record<string, InstrumentSettings> = {};
  for (const [symbol, raw] of Object.entries(BUILT_IN_INSTRUMENTS)) out[symbol] = instrumentSettingsSchema.parse(raw);
  return out;
}

/**
 * Parses replay config, naming the first offending field.
 * @throws ConfigError `E_CONFIG_INVALID` with the field path (e.g. `replay.book.levels`).
 */
export function parseReplayConfig(input: unknown, fieldPrefix = 'replay'): ReplayConfig {
  const r = replayConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const keys = issue?.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [];
  const path = [fieldPrefix, ...(issue?.path ?? []).map(String), ...keys].join('.');
  throw new ConfigError(path, issue?.message ?? 'invalid');
}
