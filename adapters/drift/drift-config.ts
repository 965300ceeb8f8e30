import { z } from 'zod';

/** Drift through @drift-labs/sdk: DLOB books for paper mode; a subaccount in live mode. */
export const driftConfigSchema = z
  .object({
    env: z.enum(['mainnet-beta', 'devnet']).default('mainnet-beta'),
    /** Our symbol → Drift perp market index (SOL-PERP 0, BTC-PERP 1, ETH-PERP 2). */
    markets: z.record(z.string().min(1), z.number().int().min(0)).default({ 'SOL-PERP': 0, 'BTC-PERP': 1, 'ETH-PERP': 2 }),
    /** No book update for this long (wall ms) marks the stream stale: new entries pause until resynced. */
    staleAfterMs: z.number().int().positive().default(10_000),
  })
  .strict();

export type DriftConfig = z.output<typeof driftConfigSchema>;
