import { ConfigError } from '../../src/core/errors.js';
import type { VenueBundle, VenueOpenOptions } from '../../src/core/venue.js';
import type { CoinbaseConfig, NadoConfig } from './ccxt-config.js';

/** Opens Nado: market data always, the live venue in live mode. Loaded lazily by the composition root. */
export async function openNado(o: VenueOpenOptions<NadoConfig>): Promise<VenueBundle> {
  throw new ConfigError('venue', `nado (${o.mode}) is not wired yet`);
}

/** Opens Coinbase Advanced Trade: market data always, the live venue in live mode. */
export async function openCoinbase(o: VenueOpenOptions<CoinbaseConfig>): Promise<VenueBundle> {
  throw new ConfigError('venue', `coinbase (${o.mode}) is not wired yet`);
}
