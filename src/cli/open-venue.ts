import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { FeedHealth, VenueBundle, VenueStateStore } from '../core/venue.js';
import type { DnbotConfig } from './config-schema.js';

export type RealVenue = 'nado' | 'coinbase' | 'drift';

export function isRealVenue(v: DnbotConfig['venue']): v is RealVenue {
  return v === 'nado' || v === 'coinbase' || v === 'drift';
}

/**
 * Opens a real venue. Each adapter (and its SDK: ccxt, or Drift's with Solana's) is imported only
 * here, only when that venue is configured: each costs hundreds of milliseconds and tens of MB.
 */
export async function openRealVenue(
  cfg: DnbotConfig & { venue: RealVenue },
  logger: Logger,
  wall: Clock,
  env: Readonly<Record<string, string | undefined>>,
  state: VenueStateStore,
): Promise<VenueBundle> {
  const mode = cfg.mode === 'live' ? 'live' : 'paper';
  const symbols = [...new Set(cfg.bots.flatMap((b) => [b.dnPair.legA, b.dnPair.legB]))];
  const base = { mode, symbols, logger: logger.child({ venue: cfg.venue }), wall, env, state } as const;
  switch (cfg.venue) {
    case 'nado':
      return (await import('../../adapters/nado/index.js')).openNado({ ...base, config: cfg.nado });
    case 'coinbase':
      return (await import('../../adapters/coinbase/index.js')).openCoinbaseVenue({ ...base, config: cfg.coinbase });
    case 'drift':
      return (await import('../../adapters/drift/index.js')).openDrift({ ...base, config: cfg.drift });
  }
}

/** Plain words for the entry pause: which streams are stale and why; null when all are live. */
export function staleFeedReason(health: readonly FeedHealth[]): string | null {
  const stale = health.filter((h) => h.stale);
  if (stale.length === 0) return null;
  return stale.map((h) => `${h.venue} ${h.symbol}: ${h.reason ?? 'stale'}`).join('; ');
}
