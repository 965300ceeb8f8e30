import { z } from 'zod';
import { ConfigError } from '../../src/core/errors.js';
import { isOnGrid } from '../../src/core/tick-rounding.js';

/**
 * Configuration of the simulated perp market. Every field has a default, so
 * `simMarketConfigSchema.parse({})` gives a working ETH/SOL/BTC market; objects are strict,
 * so a misspelt key is an error rather than a silently ignored setting.
 */

/** The simulated symbols, in the fixed order events are emitted in. */
export const SIM_SYMBOLS = ['ETH-PERP', 'SOL-PERP', 'BTC-PERP'] as const;
export type SimSymbol = (typeof SIM_SYMBOLS)[number];

/** The pair whose log spread carries the mean-reverting (OU) component: long leg, short leg. */
export const SIM_SPREAD_PAIR = ['ETH-PERP', 'SOL-PERP'] as const;

const positive = (what: string) =>
  z.number({ error: `${what} must be a finite number` }).positive(`${what} must be > 0`);
const nonNegative = (what: string) =>
  z.number({ error: `${what} must be a finite number` }).min(0, `${what} must be ≥ 0`);
const between = (what: string, lo: number, hi: number) =>
  z
    .number({ error: `${what} must be a finite number` })
    .min(lo, `${what} must be in [${lo}, ${hi}]`)
    .max(hi, `${what} must be in [${lo}, ${hi}]`);
const fraction = (what: string) => between(what, 0, 1);
const positiveInt = (what: string) =>
  z
    .number({ error: `${what} must be a finite number` })
    .int(`${what} must be an integer`)
    .positive(`${what} must be > 0`);

interface SymbolDefaults {
  readonly initialPrice: number;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly beta: number;
  readonly idioVol: number;
  readonly halfSpreadTicks: number;
  readonly levelSpacingTicks: number;
  readonly touchDepthUsd: number;
  readonly tradeMeanIntervalMs: number;
  readonly medianTradeUsd: number;
}

const SYMBOL_DEFAULTS: Readonly<Record<SimSymbol, SymbolDefaults>> = {
  'ETH-PERP': {
    initialPrice: 3000, tickSize: 0.01, lotSize: 0.001, beta: 1.0, idioVol: 0.05,
    halfSpreadTicks: 5, levelSpacingTicks: 10, touchDepthUsd: 50_000,
    tradeMeanIntervalMs: 400, medianTradeUsd: 2_000,
  },
  'SOL-PERP': {
    initialPrice: 150, tickSize: 0.001, lotSize: 0.01, beta: 1.3, idioVol: 0.08,
    halfSpreadTicks: 5, levelSpacingTicks: 5, touchDepthUsd: 30_000,
    tradeMeanIntervalMs: 600, medianTradeUsd: 1_000,
  },
  'BTC-PERP': {
    initialPrice: 60_000, tickSize: 0.1, lotSize: 0.0001, beta: 0.8, idioVol: 0.05,
    halfSpreadTicks: 10, levelSpacingTicks: 10, touchDepthUsd: 100_000,
    tradeMeanIntervalMs: 500, medianTradeUsd: 3_000,
  },
};

function symbolSchema(d: SymbolDefaults) {
  return z
    .object({
      /** Mid price the live run starts at (the warm-up history ends there). */
      initialPrice: positive('initialPrice').default(d.initialPrice),
      /** Price grid. */
      tickSize: positive('tickSize').default(d.tickSize),
      /** Size grid (base units). */
      lotSize: positive('lotSize').default(d.lotSize),
      /** Smallest order size (base units); must be on the lot grid. Default: one lot. */
      minSize: positive('minSize').optional(),
      /** Smallest order notional (quote units). */
      minNotional: nonNegative('minNotional').default(10),
      maxLeverage: positive('maxLeverage').default(20),
      /** Fee rates as fractions of notional; a negative maker fee is a rebate. */
      makerFeeRate: between('makerFeeRate', -0.01, 0.01).default(0.0001),
      takerFeeRate: between('takerFeeRate', 0, 0.01).default(0.0005),
      initialMarginRatio: fraction('initialMarginRatio').default(0.05),
      maintenanceMarginRatio: fraction('maintenanceMarginRatio').default(0.03),
      fundingIntervalMs: positiveInt('fundingIntervalMs').default(3_600_000),
      /** Loading on the common factor (log-price units per unit of factor). */
      beta: positive('beta').default(d.beta),
      /** Annualised vol of the symbol's own (slowly mean-reverting) component. */
      idioVol: nonNegative('idioVol').default(d.idioVol),
      /** Distance from mid to each touch, in ticks (≥ 0.5 so the touches are ≥ 1 tick apart). */
      halfSpreadTicks: between('halfSpreadTicks', 0.5, 10_000).default(d.halfSpreadTicks),
      /** Ticks between consecutive book levels. */
      levelSpacingTicks: positiveInt('levelSpacingTicks').default(d.levelSpacingTicks),
      /** Resting USD at each touch level before jitter. */
      touchDepthUsd: positive('touchDepthUsd').default(d.touchDepthUsd),
      /** Growth of USD depth per level away from the touch (0.15 = +15% per level). */
      depthGrowthPerLevel: nonNegative('depthGrowthPerLevel').default(0.15),
      /** Uniform multiplicative jitter on level sizes: size × (1 ± depthJitter). */
      depthJitter: between('depthJitter', 0, 0.9).default(0.3),
      /** Mean time between trades (Poisson arrivals). */
      tradeMeanIntervalMs: positive('tradeMeanIntervalMs').default(d.tradeMeanIntervalMs),
      /** Median trade notional in USD (sizes are lognormal around it). */
      medianTradeUsd: positive('medianTradeUsd').default(d.medianTradeUsd),
      /** Log-space std of trade notional. */
      tradeSizeSigma: nonNegative('tradeSizeSigma').default(1.2),
    })
    .strict()
    .superRefine((s, ctx) => {
      if (s.maintenanceMarginRatio > s.initialMarginRatio) {
        const message = 'maintenanceMarginRatio must be ≤ initialMarginRatio';
        ctx.addIssue({ code: 'custom', path: ['maintenanceMarginRatio'], message });
      }
      if (s.minSize !== undefined && !isOnGrid(s.minSize, s.lotSize)) {
        ctx.addIssue({ code: 'custom', path: ['minSize'], message: 'minSize must be a multiple of lotSize' });
      }
    })
    .transform((s) => ({ ...s, minSize: s.minSize ?? s.lotSize }));
}

export const simMarketConfigSchema = z
  .object({
    /** Market time (ms) of the first live event. */
    startTs: z
      .number({ error: 'startTs must be a finite number' })
      .int('startTs must be an integer ms timestamp')
      .min(0, 'startTs must be ≥ 0')
      .default(Date.UTC(2026, 0, 1)),
    /** Process step and book/mark cadence; must divide one minute so history candles align. */
    bookIntervalMs: positiveInt('bookIntervalMs')
      .refine((v) => 60_000 % v === 0, 'bookIntervalMs must divide 60000')
      .default(1000),
    /** Book levels per side. */
    levels: positiveInt('levels').max(200, 'levels must be ≤ 200').default(20),
    /** Per-symbol settings; the three symbols are fixed (unknown symbols are rejected). */
    symbols: z
      .object({
        'ETH-PERP': symbolSchema(SYMBOL_DEFAULTS['ETH-PERP']).prefault({}),
        'SOL-PERP': symbolSchema(SYMBOL_DEFAULTS['SOL-PERP']).prefault({}),
        'BTC-PERP': symbolSchema(SYMBOL_DEFAULTS['BTC-PERP']).prefault({}),
      })
      .strict()
      .prefault({}),
    /** Common factor: a random walk in log space shared by all symbols through their betas. */
    factor: z.object({ annualVol: nonNegative('factor.annualVol').default(0.6) }).strict().prefault({}),
    /** OU component of the ETH/SOL beta-neutral log spread. */
    spread: z
      .object({
        halfLifeMs: positive('spread.halfLifeMs').default(1_800_000),
        /** Stationary std of the component, in log units (0.004 = 0.4%). */
        stationaryStd: nonNegative('spread.stationaryStd').default(0.004),
      })
      .strict()
      .prefault({}),
    /** Half-life of every symbol's own component (slow OU, so prices stay tied to the factor). */
    idiosyncratic: z
      .object({ halfLifeMs: positive('idiosyncratic.halfLifeMs').default(21_600_000) })
      .strict()
      .prefault({}),
    /** Two-state Markov switching; the volatile state multiplies every diffusive vol. */
    regime: z
      .object({
        calmToVolatilePerHour: fraction('regime.calmToVolatilePerHour').default(0.05),
        volatileToCalmPerHour: fraction('regime.volatileToCalmPerHour').default(0.25),
        volMultiplier: between('regime.volMultiplier', 1, 20).default(2.5),
      })
      .strict()
      .prefault({}),
    /** Poisson jumps (normal sizes in log units): on the factor, and per symbol. */
    jumps: z
      .object({
        commonPerDay: nonNegative('jumps.commonPerDay').default(2),
        commonStd: nonNegative('jumps.commonStd').default(0.01),
        symbolPerDay: nonNegative('jumps.symbolPerDay').default(0.5),
        symbolStd: nonNegative('jumps.symbolStd').default(0.006),
      })
      .strict()
      .prefault({}),
    /** Funding per funding interval: base plus a slow OU noise, per symbol. */
    funding: z
      .object({
        baseRate: between('funding.baseRate', -0.01, 0.01).default(0.00001),
        noiseStd: nonNegative('funding.noiseStd').default(0.00001),
        noiseHalfLifeMs: positive('funding.noiseHalfLifeMs').default(28_800_000),
      })
      .strict()
      .prefault({}),
    /** Trade flow. */
    trades: z
      .object({
        /** P(buy aggressor) = 0.5 ± bias after an up/down mid move. */
        aggressorBias: between('trades.aggressorBias', 0, 0.5).default(0.1),
        /** Fraction of consumed touch liquidity restored at each new book (when the price level survives). */
        refillPerBook: fraction('trades.refillPerBook').default(0.5),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type SimMarketConfig = z.infer<typeof simMarketConfigSchema>;
export type SimSymbolConfig = SimMarketConfig['symbols'][SimSymbol];

/**
 * Parse raw config (e.g. from a file) into a {@link SimMarketConfig}.
 * @throws ConfigError (`E_CONFIG_INVALID`) whose `field` is the dotted path of the first bad field.
 */
export function parseSimMarketConfig(raw: unknown): SimMarketConfig {
  const res = simMarketConfigSchema.safeParse(raw ?? {});
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? 'sim' : `sim.${issue.path.map(String).join('.')}`;
  throw new ConfigError(field, issue?.message ?? 'invalid');
}
