import { z } from 'zod';

/** Our symbol (e.g. ETH-PERP) → the venue's ccxt symbol. */
const symbolMap = z.record(z.string().min(1), z.string().min(1));

/** Nado through ccxt (`nado`): public books for paper mode; a wallet's subaccount in live mode. */
export const nadoConfigSchema = z
  .object({
    symbols: symbolMap.default({ 'ETH-PERP': 'ETH/USDT0:USDT0', 'SOL-PERP': 'SOL/USDT0:USDT0', 'BTC-PERP': 'BTC/USDT0:USDT0' }),
    /** No book update for this long (wall ms) marks the stream stale: new entries pause until resynced. */
    staleAfterMs: z.number().int().positive().default(10_000),
  })
  .strict();

/** Coinbase Advanced Trade through ccxt (`coinbase`): perpetual-style futures, spot for long-only. */
export const coinbaseConfigSchema = z
  .object({
    symbols: symbolMap.default({}),
    staleAfterMs: z.number().int().positive().default(10_000),
  })
  .strict();

export type NadoConfig = z.output<typeof nadoConfigSchema>;
export type CoinbaseConfig = z.output<typeof coinbaseConfigSchema>;
