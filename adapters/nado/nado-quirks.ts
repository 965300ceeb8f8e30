import type { OrderRequest } from '../../src/core/types.js';
import { ConfigError } from '../../src/core/errors.js';
import type { CcxtOrderCall, RequestCost, VenueQuirks, VenueRequestKind } from '../ccxt-common/venue-quirks.js';
import type { NadoConfig } from './nado-config.js';

/** Matches per archive page (the archive's largest page). */
export const ARCHIVE_PAGE = 500;
/** The archive's default `limit` when a query names none (orders by digests). */
const ARCHIVE_DEFAULT_LIMIT = 100;

/**
 * Weight of one archive (indexer) query, from its body: `matches` 2 + limit/10, `orders` 2 +
 * limit/20 (docs: api/rate-limits), rounded up; other archive queries 1. Pure.
 */
export function archiveWeight(body: Readonly<Record<string, unknown>>): number {
  const q = (k: string): Record<string, unknown> | null => {
    const v = body[k];
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  };
  const limitOf = (o: Record<string, unknown>): number => (typeof o['limit'] === 'number' && o['limit'] > 0 ? o['limit'] : ARCHIVE_DEFAULT_LIMIT);
  const matches = q('matches');
  if (matches) return 2 + Math.ceil(limitOf(matches) / 10);
  const orders = q('orders');
  if (orders) return 2 + Math.ceil(limitOf(orders) / 20);
  return 1;
}

/** Nado's numeric client id (`place_order.id`, echoed on fill and order_update): a u32 counter we map. */
export const NADO_MAX_CLIENT_ID = 0xffff_ffff;

/**
 * Request weights from Nado's published limits (docs: developer-resources/api/rate-limits): queries
 * count per IP, orders and cancels per wallet. Placing costs 1 with spot leverage, 20 without; we
 * trade perps with the default (1). A cancel by digests weighs 1 per digest (scaled by the caller);
 * a cancel of product orders 5 per product id (ccxt sends the id; 50 without). Subaccount info
 * (account, positions) weighs 2; open orders 2 per product (one product per query here). Archive
 * queries weigh by their limit: see archiveWeight.
 */
const COSTS: Readonly<Record<VenueRequestKind, readonly RequestCost[]>> = {
  markets: [{ budget: 'queries', weight: 2 }, { budget: 'queries', weight: 1 }, { budget: 'queries', weight: 2 }],
  book_snapshot: [{ budget: 'queries', weight: 1 }],
  candles: [{ budget: 'queries', weight: 1 }],
  place: [{ budget: 'orders', weight: 1 }],
  cancel: [{ budget: 'orders', weight: 1 }],
  cancel_all: [{ budget: 'orders', weight: 5 }],
  order_lookup: [{ budget: 'queries', weight: 1 }],
  open_orders: [{ budget: 'queries', weight: 2 }],
  fills: [{ budget: 'queries', weight: archiveWeight({ matches: { limit: ARCHIVE_PAGE } }) }],
  account: [{ budget: 'queries', weight: 2 }],
  positions: [{ budget: 'queries', weight: 2 }],
  time: [{ budget: 'queries', weight: 1 }],
};

/** A published window scaled by the configured headroom (at least 1). */
function win(limit: number, windowMs: number, cfg: NadoConfig): { limit: number; windowMs: number } {
  return { limit: Math.max(1, Math.floor(limit * cfg.limits.headroom)), windowMs };
}

export function nadoQuirks(cfg: NadoConfig): VenueQuirks {
  return {
    venue: 'nado',
    ccxtId: 'nado',
    // ccxt adds its own builder fee (+1 bp per order) unless told not to.
    ccxtOptions: { builderFee: false, subaccount: cfg.subaccount, recvWindow: cfg.recvWindowMs },
    venueSymbol(ours, symbols) {
      const s = symbols[ours];
      if (s === undefined) throw new ConfigError('nado.symbols', `no Nado market mapped for ${ours}; add it to nado.symbols`);
      return s;
    },
    orderCall(req: OrderRequest, venueClientId: string): CcxtOrderCall {
      const params: Record<string, unknown> = { id: Number(venueClientId) };
      if (req.tif === 'POST_ONLY') params['timeInForce'] = 'PO';
      else if (req.tif === 'IOC' || req.type === 'market') params['timeInForce'] = 'IOC';
      if (req.reduceOnly) params['reduceOnly'] = true;
      // Nado takes limit orders only: a market order is an aggressive IOC limit at its protective price.
      return { type: 'limit', params };
    },
    reduceOnly: 'venue',
    clientId: { kind: 'numeric', maxLength: NADO_MAX_CLIENT_ID, pattern: /^\d+$/ },
    rateBudgets: [
      { name: 'queries', windows: [win(cfg.limits.queriesPer10s, 10_000, cfg), win(cfg.limits.queriesPerMinute, 60_000, cfg)] },
      { name: 'orders', windows: [win(cfg.limits.ordersPer10s, 10_000, cfg), win(cfg.limits.ordersPerMinute, 60_000, cfg)] },
    ],
    cost: (kind) => COSTS[kind],
    bookStream: { kind: 'deltas-chained' },
    privateStream: true,
    // Nado has no cancel-on-disconnect timer; orders carry an expiration instead. We cancel all
    // on shutdown and when a stream goes stale.
    deadManSwitch: { supported: false },
  };
}
