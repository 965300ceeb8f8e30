/**
 * Coinbase's private `user` channel (JWT-authenticated) as a wake-up call: its order updates carry
 * cumulative quantities, not fills with trade ids, so every update (and every reconnect, a gap in
 * what we saw) triggers an immediate REST poll of fills and orders, which stays the one source of
 * truth. Without it fills still arrive, at the poll interval.
 */
import { ReconnectingSocket, type SocketSettings } from '../ccxt-common/reconnecting-socket.js';

export interface CoinbaseUserStreamOptions extends SocketSettings {
  readonly productIds: readonly string[];
  /** A fresh ES256 JWT for a subscribe message (valid 2 minutes; never logged). */
  readonly jwt: () => string;
  /** Something may have changed on the account: poll now. */
  readonly onActivity: () => void;
}

export class CoinbaseUserStream {
  private readonly socket: ReconnectingSocket;
  /** Order updates received (for tests and status). */
  updates = 0;

  constructor(private readonly o: CoinbaseUserStreamOptions) {
    this.socket = new ReconnectingSocket({
      ...o,
      name: 'coinbase user stream',
      onOpen: (ws) => {
        const ids = [...o.productIds];
        for (const channel of ['heartbeats', 'user']) ws.send(JSON.stringify({ type: 'subscribe', channel, product_ids: ids, jwt: o.jwt() }));
        o.onActivity(); // whatever happened while we were away
      },
      onMessage: (data) => this.onMessage(String(data)),
      onDrop: () => undefined,
    });
  }

  /** Connections opened so far. */
  get connects(): number {
    return this.socket.connects;
  }

  start(): void {
    this.socket.start();
  }

  close(): void {
    this.socket.close();
  }

  private onMessage(text: string): void {
    this.socket.alive(this.o.wall.now());
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    if (m['type'] === 'error') {
      this.o.logger.warn({ error: String(m['message'] ?? '') }, 'coinbase user stream refused');
      return;
    }
    if (m['channel'] === 'user') {
      this.socket.resetBackoff();
      this.updates++;
      this.o.onActivity();
    }
  }
}
