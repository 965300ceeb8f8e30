import type { BookSnapshot } from './nado-book.js';
import { fromX18 } from './x18.js';

/**
 * Nado's `market_liquidity` query → a book snapshot:
 * `{ status, data: { bids: [[price_x18, size_x18]], asks, timestamp: ns }, request_type }`.
 * Throws on a malformed answer (the caller retries the resync).
 */
export function parseMarketLiquidity(res: Record<string, unknown>): BookSnapshot {
  const data = res['data'] as Record<string, unknown> | undefined;
  const ts = data?.['timestamp'];
  if (!data || (typeof ts !== 'string' && typeof ts !== 'number') || !/^\d+$/.test(String(ts))) {
    throw new TypeError('market_liquidity: no data or timestamp');
  }
  const side = (raw: unknown): [number, number][] => {
    if (!Array.isArray(raw)) throw new TypeError('market_liquidity: levels are not a list');
    return raw.map((l) => {
      const p = Array.isArray(l) ? fromX18(l[0]) : null;
      const q = Array.isArray(l) ? fromX18(l[1]) : null;
      if (p === null || q === null) throw new TypeError('market_liquidity: bad level');
      return [p, q];
    });
  };
  return { tsNs: BigInt(String(ts)), bids: side(data['bids']), asks: side(data['asks']) };
}
