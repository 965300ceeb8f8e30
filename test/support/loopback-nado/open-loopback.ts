import { privateKeyToAccount } from 'viem/accounts';
import { openNado } from '../../../adapters/nado/index.js';
import { nadoConfigSchema, type NadoConfig } from '../../../adapters/nado/nado-config.js';
import { LiveClock, type Clock } from '../../../src/core/clock.js';
import { silentLogger, type Logger } from '../../../src/core/logger.js';
import type { MarketEvent } from '../../../src/core/types.js';
import type { LiveMarketSource, VenueBundle, VenueStateStore } from '../../../src/core/venue.js';
import type { LoopbackNado } from './loopback-nado.js';

/** A throwaway test key (never funded anywhere). */
export const TEST_KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
export const TEST_WALLET = privateKeyToAccount(TEST_KEY).address;

export function memoryState(): VenueStateStore & { readonly map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: (k) => map.get(k) ?? null,
    set: (k, v) => void map.set(k, v),
    list: (p) => [...map.entries()].filter(([k]) => k.startsWith(p)).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ key, value })),
  };
}

export interface OpenOpts {
  readonly mode?: 'paper' | 'live';
  readonly state?: VenueStateStore;
  readonly config?: Partial<NadoConfig> & Record<string, unknown>;
  readonly symbols?: readonly string[];
  readonly logger?: Logger;
  readonly wall?: Clock;
}

export async function openAgainst(loop: LoopbackNado, o: OpenOpts = {}): Promise<VenueBundle> {
  loop.wallet = TEST_WALLET;
  const config = nadoConfigSchema.parse({
    symbols: { 'BTC-PERP': 'BTC/USDT0:USDT0', 'ETH-PERP': 'ETH/USDT0:USDT0', 'SOL-PERP': 'SOL/USDT0:USDT0' },
    staleAfterMs: 2_000,
    reconnectDelayMs: 50,
    requestTimeoutMs: 1_000,
    ...o.config,
    urls: loop.urls(),
  });
  return openNado({
    mode: o.mode ?? 'live',
    symbols: o.symbols ?? ['BTC-PERP', 'ETH-PERP'],
    config,
    logger: o.logger ?? silentLogger,
    wall: o.wall ?? new LiveClock(),
    env: { NADO_WALLET_ADDRESS: TEST_WALLET, NADO_PRIVATE_KEY: TEST_KEY },
    state: o.state ?? memoryState(),
  });
}

/** Pulls events until `pred` holds (or throws after `ms`). */
export async function until(source: LiveMarketSource, pred: (e: MarketEvent) => boolean, ms = 3_000): Promise<MarketEvent> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const e = await source.next(50);
    if (e === null) throw new Error('source closed');
    if (e !== 'idle' && pred(e)) return e;
  }
  throw new Error('condition not reached in time');
}

export async function waitFor(pred: () => boolean, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
