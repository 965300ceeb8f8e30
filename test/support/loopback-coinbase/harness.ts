/** Opens the Coinbase adapter against a loopback venue, as the composition root would. */
import { openCoinbaseVenue } from '../../../adapters/coinbase/index.js';
import { coinbaseConfigSchema, type CoinbaseConfig } from '../../../adapters/coinbase/coinbase-config.js';
import { LiveClock, type TimerHandle } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { VenueBundle, VenueStateStore } from '../../../src/core/venue.js';
import type { LoopbackCoinbase } from './server.js';

export class MemoryStateStore implements VenueStateStore {
  readonly map = new Map<string, string>();
  get(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  set(key: string, value: string): void {
    this.map.set(key, value);
  }
  list(prefix: string): { key: string; value: string }[] {
    return [...this.map].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => ({ key, value }));
  }
}

export function loopbackConfig(server: LoopbackCoinbase, extra: Record<string, unknown> = {}): CoinbaseConfig {
  return coinbaseConfigSchema.parse({
    symbols: { 'BTC-PERP': 'BTC/USD:USD-301220', 'ETH-PERP': 'ETH/USD:USD-301220' },
    urls: { rest: server.restUrl, ws: server.wsUrl },
    staleAfterMs: 1500,
    pollMs: 40,
    reconnectDelayMs: 40,
    requestTimeoutMs: 800,
    accountRefreshMs: 1000,
    queryRetries: 3,
    ...extra,
  });
}

export function loopbackEnv(server: LoopbackCoinbase): Record<string, string> {
  return { COINBASE_API_KEY_NAME: server.apiKeyName, COINBASE_API_PRIVATE_KEY: server.privateKeyPem };
}

export async function openLoopback(
  server: LoopbackCoinbase,
  opts: { mode?: 'paper' | 'live'; state?: VenueStateStore; config?: Record<string, unknown>; symbols?: string[] } = {},
): Promise<VenueBundle> {
  return openCoinbaseVenue({
    mode: opts.mode ?? 'live',
    symbols: opts.symbols ?? ['BTC-PERP', 'ETH-PERP'],
    config: loopbackConfig(server, opts.config),
    logger: silentLogger,
    wall: new LiveClock(),
    env: loopbackEnv(server),
    state: opts.state ?? new MemoryStateStore(),
  });
}

/** Heartbeats every `ms` of wall time (Coinbase sends one per second) until stopped. */
export function heartbeats(server: LoopbackCoinbase, ms = 100): () => void {
  const wall = new LiveClock();
  let n = 0;
  let h: TimerHandle | null = null;
  const tick = (): void => {
    server.stream.heartbeat(n++);
    h = wall.setTimer(ms, tick);
  };
  h = wall.setTimer(ms, tick);
  return () => {
    if (h) wall.cancelTimer(h);
  };
}

/** A live-looking market: every `ms` one level of each served futures book changes size (absolute sizes). */
export function marketActivity(server: LoopbackCoinbase, productIds: readonly string[], ms = 100): () => void {
  const wall = new LiveClock();
  let n = 0;
  let h: TimerHandle | null = null;
  const tick = (): void => {
    n++;
    for (const id of productIds) {
      const best = server.state.bids.get(id)?.[1];
      if (best) server.stream.update(id, 'bid', best.price, 5 + (n % 7));
    }
    h = wall.setTimer(ms, tick);
  };
  h = wall.setTimer(ms, tick);
  return () => {
    if (h) wall.cancelTimer(h);
  };
}
