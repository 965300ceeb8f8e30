/**
 * The loopback Advanced Trade WebSocket: `subscribe` to level2, heartbeats, market_trades;
 * messages carry `sequence_num` counted per connection across channels, as the real one does.
 * Faults: drop every socket, skip a sequence number, go quiet (stale).
 */
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LoopbackOrder, LoopbackVenueState } from './venue-state.js';

type Json = Record<string, unknown>;

interface Conn {
  readonly ws: WebSocket;
  seq: number;
  readonly level2: Set<string>;
  readonly trades: Set<string>;
  heartbeats: boolean;
  user: boolean;
}

export class LoopbackStream {
  private wss: WebSocketServer | null = null;
  private readonly conns = new Set<Conn>();
  /** Connections accepted since start (reconnects count). */
  connectionsAccepted = 0;
  /** Subscribe messages received. */
  readonly subscribes: Json[] = [];
  /** While true, nothing is sent (a stale stream: no heartbeats either). */
  quiet = false;

  /** `user` subscriptions refused for a bad JWT. */
  userRefusals = 0;

  constructor(
    private readonly state: LoopbackVenueState,
    private readonly now: () => number,
    private readonly jwtValid: (token: string) => boolean,
  ) {}

  /** The next `withholdSnapshots` level2 subscriptions get no snapshot for this product. */
  withholdSnapshotOf: string | null = null;
  withholdSnapshots = 0;

  attach(server: Server): void {
    const wss = new WebSocketServer({ server, path: '/ws' });
    wss.on('connection', (ws) => {
      this.connectionsAccepted++;
      const c: Conn = { ws, seq: 0, level2: new Set(), trades: new Set(), heartbeats: false, user: false };
      this.conns.add(c);
      ws.on('close', () => this.conns.delete(c));
      ws.on('message', (data) => {
        let m: Json;
        try {
          m = JSON.parse(String(data)) as Json;
        } catch {
          return;
        }
        this.onClientMessage(c, m);
      });
    });
    this.wss = wss;
  }

  private onClientMessage(c: Conn, m: Json): void {
    if (m['type'] !== 'subscribe') return;
    this.subscribes.push(m);
    const channel = String(m['channel']);
    const ids = Array.isArray(m['product_ids']) ? (m['product_ids'] as string[]) : [];
    if (channel === 'user') {
      if (typeof m['jwt'] !== 'string' || !this.jwtValid(m['jwt'])) {
        this.userRefusals++;
        c.ws.send(JSON.stringify({ type: 'error', message: 'authentication failure' }));
        return;
      }
      c.user = true;
    }
    if (channel === 'heartbeats') c.heartbeats = true;
    if (channel === 'level2') for (const id of ids) c.level2.add(id);
    if (channel === 'market_trades') for (const id of ids) c.trades.add(id);
    this.send(c, { channel: 'subscriptions', events: [{ subscriptions: { [channel]: ids } }] });
    if (channel === 'level2') {
      for (const id of ids) {
        if (!this.state.product(id)) continue;
        if (this.withholdSnapshots > 0 && this.withholdSnapshotOf === id) {
          this.withholdSnapshots--; // this connection never gets that product's snapshot
          continue;
        }
        const updates = [
          ...(this.state.bids.get(id) ?? []).map((l) => this.level('bid', l.price, l.size)),
          ...(this.state.asks.get(id) ?? []).map((l) => this.level('offer', l.price, l.size)),
        ];
        this.send(c, { channel: 'l2_data', events: [{ type: 'snapshot', product_id: id, updates }] });
      }
    }
    if (channel === 'market_trades') this.send(c, { channel: 'market_trades', events: [{ type: 'snapshot', trades: [] }] });
  }

  private level(side: 'bid' | 'offer', price: number, size: number): Json {
    return { side, event_time: new Date(this.now()).toISOString(), price_level: String(price), new_quantity: String(size) };
  }

  private send(c: Conn, body: Json): void {
    if (this.quiet) return;
    const msg = { ...body, client_id: '', timestamp: new Date(this.now()).toISOString(), sequence_num: c.seq++ };
    c.ws.send(JSON.stringify(msg));
  }

  /** An absolute level change ("0" removes), applied to the served book and pushed to subscribers. */
  update(productId: string, side: 'bid' | 'offer', price: number, size: number): void {
    this.state.setLevel(productId, side, price, size);
    for (const c of this.conns) {
      if (c.level2.has(productId)) this.send(c, { channel: 'l2_data', events: [{ type: 'update', product_id: productId, updates: [this.level(side, price, size)] }] });
    }
  }

  /** A trade print on market_trades. */
  trade(productId: string, price: number, size: number, side: 'BUY' | 'SELL', tradeId: string): void {
    for (const c of this.conns) {
      if (c.trades.has(productId)) {
        const t = { trade_id: tradeId, product_id: productId, price: String(price), size: String(size), side, time: new Date(this.now()).toISOString() };
        this.send(c, { channel: 'market_trades', events: [{ type: 'update', trades: [t] }] });
      }
    }
  }

  /** An order update on the `user` channel (cumulative quantities, as Coinbase sends them). */
  userUpdate(o: LoopbackOrder): void {
    const order = {
      order_id: o.orderId,
      client_order_id: o.clientOrderId,
      cumulative_quantity: String(o.filled),
      leaves_quantity: String(o.status === 'OPEN' ? o.size - o.filled : 0),
      avg_price: String(o.filled > 0 ? o.price : 0),
      total_fees: '0',
      status: o.status,
      product_id: o.productId,
      creation_time: new Date(o.createdMs).toISOString(),
      order_side: o.side,
      order_type: 'Limit',
    };
    for (const c of this.conns) if (c.user) this.send(c, { channel: 'user', events: [{ type: 'update', orders: [order] }] });
  }

  heartbeat(counter: number): void {
    for (const c of this.conns) {
      if (c.heartbeats) this.send(c, { channel: 'heartbeats', events: [{ current_time: new Date(this.now()).toISOString(), heartbeat_counter: String(counter) }] });
    }
  }

  /** The next message on every connection skips one sequence number (a lost message). */
  skipSequence(): void {
    for (const c of this.conns) c.seq++;
  }

  /** Drops every socket mid-stream, without a close frame. */
  dropAll(): void {
    for (const c of this.conns) c.ws.terminate();
  }

  get openConnections(): number {
    return this.conns.size;
  }

  closeAll(): void {
    for (const c of this.conns) c.ws.terminate();
    this.wss?.close();
  }
}
