/**
 * Coinbase's fills, polled (its user stream carries cumulative quantities, not fills): each poll
 * reads the fills endpoint from a watermark, delivers the fills of our orders once each, reports
 * account adjustments (REVERSAL, CORRECTION, SYNTHETIC) as alerts, and adopts orders of ours that
 * are only found through their fills (a create whose ack was lost).
 */
import type { Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { Fill } from '../../src/core/types.js';
import type { VenueAlert } from '../../src/core/venue.js';
import type { CoinbaseMarkets } from './coinbase-instruments.js';
import { arr, obj } from './coinbase-parse.js';
import type { CoinbaseRest } from './coinbase-rest.js';

/** Unmapped fills are re-read for this long (a lost ack is settled well within it). */
const UNMAPPED_KEEP_MS = 10 * 60_000;
/** Fills can reach the fills endpoint late and out of trade-time order: the poll re-reads this far back. */
const REREAD_MS = 30_000;
/** Unmapped orders read per poll to see whether they are ours (bounds the requests a busy manual trader causes). */
const ADOPT_PER_POLL = 3;

export interface CoinbaseFillPollerOptions {
  readonly rest: CoinbaseRest;
  readonly markets: CoinbaseMarkets;
  readonly wall: Clock;
  readonly logger: Logger;
  /** Our client order id of a venue order id, null when not (yet) mapped. */
  readonly clientOf: (orderId: string) => string | null;
  /** A fill we can read as ours, null when it is not ours; an unreadable one is logged and skipped. */
  readonly readFill: (raw: unknown) => Fill | null;
  /** True when the client order id was written ahead by us (the order is ours). */
  readonly isOurs: (clientOrderId: string) => boolean;
  /** Maps an order of ours found through its fills (its create ack was lost). */
  readonly adopt: (clientOrderId: string, orderId: string, productId: string) => void;
  readonly onFill: (f: Fill) => void;
  readonly onAlert: (a: VenueAlert) => void;
}

export class CoinbaseFillPoller {
  /** Entry ids of fill adjustments already reported (each is reported once per run). */
  private readonly adjustmentsSeen = new Set<string>();
  /** Venue order ids on our products that are not ours (manual trading): their fills are skipped. */
  private readonly strangers = new Set<string>();
  /** Delivered fill ids → trade time; forgotten once the watermark is well past them. */
  private readonly seenFills = new Map<string, number>();
  private watermark: number;

  constructor(private readonly o: CoinbaseFillPollerOptions) {
    this.watermark = o.wall.now() - 60_000;
  }

  /** New fills since the watermark, delivered oldest first, each once. */
  async poll(): Promise<void> {
    const since = this.watermark;
    const res = obj(await this.o.rest.fills({ sinceIso: new Date(since).toISOString(), productIds: this.o.markets.productIds() }), 'fills response');
    const now = this.o.wall.now();
    let next = since;
    let oldestUnmapped = Infinity;
    const fresh: Fill[] = [];
    const toAdopt = new Set<string>();
    for (const raw of arr(res['fills'], 'fills')) {
      if (typeof raw !== 'object' || raw === null) continue;
      const r = raw as Record<string, unknown>;
      const id = String(r['entry_id'] ?? r['trade_id']);
      if (this.seenFills.has(id)) continue;
      if (r['trade_type'] !== undefined && r['trade_type'] !== 'FILL') {
        if (this.o.markets.symbolOf(String(r['product_id'])) !== null) this.adjustment(r);
        continue;
      }
      const ts = Date.parse(String(r['trade_time']));
      const f = this.o.readFill(raw);
      if (f === null) {
        const orderId = String(r['order_id']);
        const unmapped = this.o.markets.symbolOf(String(r['product_id'])) !== null && this.o.clientOf(orderId) === null && !this.strangers.has(orderId);
        if (unmapped && now - ts < UNMAPPED_KEEP_MS) {
          oldestUnmapped = Math.min(oldestUnmapped, ts);
          toAdopt.add(orderId);
        }
        continue;
      }
      fresh.push(f);
      next = Math.max(next, f.ts);
    }
    fresh.sort((a, b) => a.ts - b.ts);
    for (const f of fresh) {
      this.seenFills.set(f.tradeId, f.ts);
      this.o.onFill(f);
    }
    // Re-read from REREAD_MS before the newest fill (fills published late, out of trade-time order;
    // seen ones are skipped by id), or from the oldest unmapped one.
    this.watermark = Math.min(Math.max(since, next - REREAD_MS), oldestUnmapped);
    for (const [id, ts] of this.seenFills) if (ts < this.watermark - 60_000) this.seenFills.delete(id);
    for (const orderId of [...toAdopt].slice(0, ADOPT_PER_POLL)) await this.adoptOrder(orderId);
  }

  /**
   * A fill whose `trade_type` is not FILL (REVERSAL, CORRECTION, SYNTHETIC; the last three are
   * undocumented) changed the account without an order of ours: it is never booked as a fill, but
   * reported loudly, once, as an alert (the composition root journals it and re-checks positions
   * against the venue).
   */
  private adjustment(r: Record<string, unknown>): void {
    const id = String(r['entry_id'] ?? r['trade_id']);
    if (this.adjustmentsSeen.has(id)) return;
    this.adjustmentsSeen.add(id);
    const symbol = this.o.markets.symbolOf(String(r['product_id']))?.symbol ?? null;
    const data = {
      entryId: id, tradeType: String(r['trade_type']), productId: String(r['product_id']), orderId: String(r['order_id']),
      clientOrderId: this.o.clientOf(String(r['order_id'])), side: String(r['side']), size: String(r['size']), price: String(r['price']), tradeTime: String(r['trade_time']),
    };
    this.o.logger.error(data, `coinbase: a ${data.tradeType} fill changed the account; positions are checked against the venue`);
    this.o.onAlert({ kind: 'fill_adjustment', message: `coinbase ${data.tradeType} of ${data.size} ${symbol ?? data.productId} at ${data.price}`, symbol, data });
  }

  /**
   * A fill on our product for an order we have not mapped: the order's client id says whether it
   * is ours (written ahead before its create was sent, e.g. one that turned up after the lookups
   * gave up). Ours is mapped, and its fills are delivered by the next poll (the watermark waits
   * for them); anyone else's order is remembered as a stranger and never read again.
   */
  private async adoptOrder(orderId: string): Promise<void> {
    try {
      const res = await this.o.rest.order(orderId);
      const o = res === null ? null : obj(obj(res, 'order response')['order'], 'order');
      const clientOrderId = o !== null && typeof o['client_order_id'] === 'string' ? o['client_order_id'] : null;
      if (o === null || clientOrderId === null || !this.o.isOurs(clientOrderId)) {
        this.strangers.add(orderId);
        return;
      }
      this.o.logger.warn({ clientOrderId, orderId }, 'coinbase order found through its fills; mapped');
      this.o.adopt(clientOrderId, orderId, String(o['product_id']));
    } catch (e) {
      this.o.logger.warn({ orderId, err: e instanceof Error ? e.message : String(e) }, 'coinbase order of an unmapped fill unreadable');
    }
  }
}
