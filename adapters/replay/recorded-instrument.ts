import { z } from 'zod';

const positive = z.number().finite().positive();
const nonNegative = z.number().finite().nonnegative();

/**
 * An instrument as a recording's header carries it, checked before anything trades on it: a tick
 * of 0 breaks price rounding, and a fee rate far outside any venue's (a maker "rebate" of 50%)
 * would book fees as profit. Rebates down to −0.5% and fees up to 5% are accepted.
 */
export const recordedInstrumentSchema = z
  .object({
    venue: z.string().min(1),
    symbol: z.string().min(1),
    baseAsset: z.string(),
    quoteAsset: z.string(),
    tickSize: positive,
    lotSize: positive,
    minSize: nonNegative,
    minNotional: nonNegative,
    maxLeverage: positive,
    makerFeeRate: z.number().finite().min(-0.005).max(0.05),
    takerFeeRate: z.number().finite().min(0).max(0.05),
    initialMarginRatio: z.number().finite().positive().max(1),
    maintenanceMarginRatio: z.number().finite().positive().max(1),
    fundingIntervalMs: z.number().int().positive(),
  })
  .loose();

/** The first problem of the instruments, as `instruments.N.field: message`, or null when sound. */
export function recordedInstrumentsProblem(instruments: readonly unknown[]): string | null {
  for (const [i, inst] of instruments.entries()) {
    const r = recordedInstrumentSchema.safeParse(inst);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      return `instruments.${i}.${issue.path.join('.')}: ${issue.message}`;
    }
  }
  return null;
}

