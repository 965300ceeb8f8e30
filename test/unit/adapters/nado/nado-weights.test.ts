import { describe, expect, it } from 'vitest';
import { nadoConfigSchema } from '../../../../adapters/nado/nado-config.js';
import { archiveWeight, nadoQuirks } from '../../../../adapters/nado/nado-quirks.js';
import type { VenueRequestKind } from '../../../../adapters/ccxt-common/venue-quirks.js';

/** Weights per Nado's docs (developer-resources/api/rate-limits). */
describe('Nado request weights', () => {
  it.each([
    ['archive matches, limit 500', { matches: { subaccounts: ['0x'], limit: 500 } }, 52],
    ['archive matches, limit 100', { matches: { limit: 100 } }, 12],
    ['archive matches, limit 5', { matches: { limit: 5 } }, 3],
    ['archive orders, limit 100', { orders: { digests: ['0x'], limit: 100 } }, 7],
    ['archive orders by digests, no limit (the default 100)', { orders: { digests: ['0x'] } }, 7],
    ['candlesticks', { candlesticks: { product_id: 2, limit: 100 } }, 1],
  ])('%s', (_n, body, want) => {
    expect(archiveWeight(body)).toBe(want);
  });

  it.each([
    ['account', 'queries', 2],
    ['positions', 'queries', 2],
    ['open_orders', 'queries', 2],
    ['fills', 'queries', 52],
    ['cancel_all', 'orders', 5],
    ['cancel', 'orders', 1],
    ['place', 'orders', 1],
  ] as const)('%s costs %s weight %d', (kind, budget, weight) => {
    const q = nadoQuirks(nadoConfigSchema.parse({}));
    expect(q.cost(kind as VenueRequestKind)).toEqual([{ budget, weight }]);
  });
});
