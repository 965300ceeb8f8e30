/**
 * Coinbase Advanced Trade (ccxt id `coinbase`) as the ccxt family sees it. What ccxt 4.5.84 gets
 * wrong, and what we do instead:
 * - `clientOrderId` is dropped by createOrder: we pass `client_order_id` in params (it is merged
 *   into the request body last, so it wins over ccxt's own `ccxt-<uuid>`).
 * - `reduceOnly: true` turns the order into a close-position market request (with a wrong size
 *   field): never sent; reduce-only is enforced by us against the position.
 * - prices are rounded to the nearest tick by ccxt: we pre-round (bids down, asks up), so its
 *   rounding is a no-op.
 * - post-only = `limit_limit_gtc` with `post_only: true`; IOC limit = `sor_limit_ioc`.
 */
import { ConfigError, ErrorCodes } from '../../src/core/errors.js';
import type { OrderRequest } from '../../src/core/types.js';
import type { CcxtOrderCall, RateBudget, RequestCost, VenueQuirks, VenueRequestKind } from '../ccxt-common/venue-quirks.js';

/** Published: about 30 private requests/s per user, 10 public/s per IP (429 when exceeded). */
export const COINBASE_RATE_BUDGETS: readonly RateBudget[] = [
  { name: 'private', windows: [{ limit: 30, windowMs: 1000 }] },
  { name: 'public', windows: [{ limit: 10, windowMs: 1000 }] },
];

/** WebSocket: at most 8 new connections per second per IP. */
export const COINBASE_WS_CONNECTS_PER_SECOND = 8;

const PUBLIC_KINDS: ReadonlySet<VenueRequestKind> = new Set(['markets', 'book_snapshot', 'candles', 'time']);

export function coinbaseCost(kind: VenueRequestKind): readonly RequestCost[] {
  return [{ budget: PUBLIC_KINDS.has(kind) ? 'public' : 'private', weight: 1 }];
}

/** Coinbase's client_order_id: a free-form string; ours are `[A-Za-z0-9-]`, ≤ 32 chars (echoed verbatim). */
export const COINBASE_CLIENT_ID = { kind: 'string', maxLength: 64, pattern: /^[A-Za-z0-9_-]+$/ } as const;

/**
 * ccxt createOrder params for one of our requests. Never contains `reduceOnly` (see above) nor
 * `clientOrderId` (dropped by ccxt).
 */
export function coinbaseOrderCall(req: OrderRequest, venueClientId: string): CcxtOrderCall {
  const params: Record<string, unknown> = { client_order_id: venueClientId };
  if (req.type === 'market') {
    // A market order with a protective limit is an IOC limit: never an unbounded market order.
    if (req.price === undefined) return { type: 'market', params };
    return { type: 'limit', params: { ...params, timeInForce: 'IOC' } };
  }
  if (req.tif === 'POST_ONLY') return { type: 'limit', params: { ...params, postOnly: true } };
  if (req.tif === 'IOC') return { type: 'limit', params: { ...params, timeInForce: 'IOC' } };
  return { type: 'limit', params };
}

export const coinbaseQuirks: VenueQuirks = {
  venue: 'coinbase',
  ccxtId: 'coinbase',
  ccxtOptions: { fetchTime: 'v3PublicGetBrokerageTime', createMarketBuyOrderRequiresPrice: false },
  venueSymbol(ours, symbols) {
    const s = symbols[ours];
    if (s === undefined) {
      throw new ConfigError(`coinbase.symbols.${ours}`, `no Coinbase market configured for ${ours} (e.g. "ETH/USD:USD-301220")`, ErrorCodes.VENUE_UNKNOWN_SYMBOL);
    }
    return s;
  },
  orderCall: coinbaseOrderCall,
  reduceOnly: 'ours',
  clientId: COINBASE_CLIENT_ID,
  rateBudgets: COINBASE_RATE_BUDGETS,
  cost: coinbaseCost,
  bookStream: { kind: 'snapshot+deltas', sequence: 'per_connection' },
  privateStream: false,
  deadManSwitch: { supported: false },
};
