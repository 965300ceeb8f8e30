/**
 * What the loopback Coinbase venue remembers: products, books, orders, fills, positions.
 * Wire shapes follow the recorded payloads (http_order.json, http_fills.json, http_cfm_position.json).
 * Futures sizes are contracts, as on the real wire.
 */
import { loadProducts, readAdvanced } from './recordings.js';

type Json = Record<string, unknown>;

export interface LoopbackOrder {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly productId: string;
  readonly side: 'BUY' | 'SELL';
  readonly config: Json;
  readonly size: number;
  readonly price: number;
  status: 'OPEN' | 'FILLED' | 'CANCELLED' | 'EXPIRED';
  filled: number;
  createdMs: number;
  lastFillMs: number | null;
}

export interface Level {
  price: number;
  size: number;
}

export class LoopbackVenueState {
  readonly products = new Map<string, Json>();
  readonly bids = new Map<string, Level[]>();
  readonly asks = new Map<string, Level[]>();
  readonly orders = new Map<string, LoopbackOrder>();
  readonly byClient = new Map<string, LoopbackOrder>();
  readonly fills: Json[] = [];
  /** Signed contracts and entry price per product. */
  readonly positions = new Map<string, { contracts: number; entry: number }>();
  /** Creates received (each POST /orders, duplicates included). */
  createsReceived = 0;
  private nextId = 1;

  constructor(private readonly now: () => number) {
    const { spot, futures } = loadProducts();
    for (const p of [...spot, ...futures]) this.products.set(String(p['product_id']), p);
    const book = readAdvanced('http_product_book.json')['pricebook'] as { bids: { price: string; size: string }[]; asks: { price: string; size: string }[] };
    const conv = (ls: { price: string; size: string }[]): Level[] => ls.map((l) => ({ price: Number(l.price), size: Number(l.size) }));
    for (const id of ['BTC-USD', 'BTC-USDC']) {
      this.bids.set(id, conv(book.bids));
      this.asks.set(id, conv(book.asks));
    }
    for (const p of futures) {
      const id = String(p['product_id']);
      const mid = Number(p['mid_market_price'] || p['price']);
      const tick = Number(p['price_increment']);
      const bids: Level[] = [];
      const asks: Level[] = [];
      for (let i = 0; i < 5; i++) {
        bids.push({ price: Math.floor(mid / tick - i - 1) * tick, size: 10 + i });
        asks.push({ price: Math.ceil(mid / tick + i + 1) * tick, size: 10 + i });
      }
      this.bids.set(id, bids);
      this.asks.set(id, asks);
    }
  }

  product(id: string): Json | undefined {
    return this.products.get(id);
  }

  isFuture(id: string): boolean {
    return this.products.get(id)?.['product_type'] === 'FUTURE';
  }

  /** Applies an absolute level change to the served book (sorted, best first). */
  setLevel(productId: string, side: 'bid' | 'offer', price: number, size: number): void {
    const levels = (side === 'bid' ? this.bids : this.asks).get(productId) ?? [];
    const i = levels.findIndex((l) => l.price === price);
    if (i >= 0) levels.splice(i, 1);
    if (size > 0) levels.push({ price, size });
    levels.sort((a, b) => (side === 'bid' ? b.price - a.price : a.price - b.price));
    (side === 'bid' ? this.bids : this.asks).set(productId, levels);
  }

  newOrderId(): string {
    return `lb-${String(this.nextId++).padStart(6, '0')}-0000-0000`;
  }

  /** Records a fill of `contracts` on `o` at `price` (maker unless `taker`). */
  fill(o: LoopbackOrder, contracts: number, price: number, taker: boolean): Json {
    const ts = new Date(this.now()).toISOString();
    o.filled += contracts;
    o.lastFillMs = this.now();
    if (o.filled >= o.size - 1e-12) o.status = 'FILLED';
    const f: Json = {
      entry_id: `e-${o.orderId}-${this.fills.length + 1}`,
      trade_id: `t-${this.fills.length + 1}`,
      order_id: o.orderId,
      trade_time: ts,
      trade_type: 'FILL',
      price: String(price),
      size: String(contracts),
      commission: (contracts * price * 0.0004).toFixed(6),
      product_id: o.productId,
      sequence_timestamp: ts,
      liquidity_indicator: taker ? 'TAKER' : 'MAKER',
      size_in_quote: false,
      user_id: 'loopback-user',
      side: o.side,
      retail_portfolio_id: '',
    };
    this.fills.push(f);
    if (this.isFuture(o.productId)) {
      const pos = this.positions.get(o.productId) ?? { contracts: 0, entry: 0 };
      const signed = o.side === 'BUY' ? contracts : -contracts;
      const next = pos.contracts + signed;
      const entry = Math.sign(next) === Math.sign(pos.contracts) && Math.abs(next) > Math.abs(pos.contracts)
        ? (pos.entry * Math.abs(pos.contracts) + price * contracts) / Math.abs(next)
        : pos.contracts === 0 ? price : pos.entry;
      this.positions.set(o.productId, { contracts: next, entry });
    }
    return f;
  }

  orderJson(o: LoopbackOrder): Json {
    const template = readAdvanced('http_order.json')['order'] as Json;
    return {
      ...template,
      order_id: o.orderId,
      product_id: o.productId,
      client_order_id: o.clientOrderId,
      side: o.side,
      order_configuration: o.config,
      status: o.status,
      time_in_force: 'sor_limit_ioc' in o.config ? 'IMMEDIATE_OR_CANCEL' : 'GOOD_UNTIL_CANCELLED',
      created_time: new Date(o.createdMs).toISOString(),
      filled_size: String(o.filled),
      completion_percentage: String(Math.round((o.filled / o.size) * 100)),
      number_of_fills: String(this.fills.filter((f) => f['order_id'] === o.orderId).length),
      average_filled_price: o.filled > 0 ? String(o.price) : '0',
      last_fill_time: o.lastFillMs === null ? null : new Date(o.lastFillMs).toISOString(),
      product_type: this.isFuture(o.productId) ? 'FUTURE' : 'SPOT',
      reject_reason: '',
    };
  }

  positionsJson(): Json[] {
    const template = (readAdvanced('http_cfm_positions.json')['positions'] as Json[])[0]!;
    const out: Json[] = [];
    for (const [id, p] of this.positions) {
      if (p.contracts === 0) continue;
      const f = this.products.get(id)?.['future_product_details'] as Json | undefined;
      out.push({
        ...template,
        product_id: id,
        side: p.contracts > 0 ? 'LONG' : 'SHORT',
        number_of_contracts: String(Math.abs(p.contracts)),
        avg_entry_price: { value: String(p.entry), currency: 'USD' },
        contract_size: String(f?.['contract_size'] ?? '1'),
      });
    }
    return out;
  }
}
