import { ConfigError } from '../../src/core/errors.js';
import type { VenueBundle, VenueOpenOptions } from '../../src/core/venue.js';
import type { DriftConfig } from './drift-config.js';

/** Opens Drift: market data always, the live venue in live mode. Loaded lazily by the composition root. */
export async function openDrift(o: VenueOpenOptions<DriftConfig>): Promise<VenueBundle> {
  throw new ConfigError('venue', `drift (${o.mode}) is not wired yet`);
}
