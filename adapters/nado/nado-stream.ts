/**
 * Nado's subscription stream on one ReconnectingSocket: public book and trade subscriptions on
 * every (re)connect, then (live mode) authentication and the private fill and order-update
 * subscriptions once it is acknowledged. Private fills missed while the socket was down — the gap
 * lasts until the private subscriptions are acknowledged again, not just until the drop — are
 * backfilled only then (`onPrivateSubscribed`), so no fill falls between a backfill and the
 * resubscription. A refused authentication or subscription replaces the connection after the
 * (growing) backoff; the backoff resets once the streams we need are all up.
 */
import WebSocket from 'ws';
import type { TimerHandle } from '../../src/core/clock.js';
import type { NadoMarketSource } from './nado-market-source.js';
import { ReconnectingSocket, type SocketSettings } from '../ccxt-common/reconnecting-socket.js';

/** Live mode: the signed `authenticate` message (fresh expiration on every call) and the private subscriptions. */
export interface NadoPrivateStreams {
  readonly authenticate: () => Record<string, unknown>;
  readonly subscriptions: () => readonly Record<string, unknown>[];
  /** The private streams are (re)subscribed: backfill what they missed. */
  readonly onPrivateSubscribed: () => void;
}

export interface NadoStreamOptions extends SocketSettings {
  readonly source: NadoMarketSource;
  readonly private: NadoPrivateStreams | null;
  /** Protocol ping period (wall ms); a JSON ping goes with each, as ccxt.pro does for this endpoint. */
  readonly pingMs: number;
  /**
   * Longest wait (wall ms) for the answer to `authenticate` or a private subscribe; past it the
   * connection is replaced (a lost ack must not leave the private streams silently unsubscribed).
   * 10 s when absent.
   */
  readonly ackTimeoutMs?: number;
}

/**
 * Request ids of our control messages. Nado's docs ask for a positive integer; public subscribes
 * use 1, 2, … (one pair per product), so ours sit far above them to never take their answers.
 */
const AUTH_ID = 100_000;
const PRIVATE_ID_BASE = 100_001;
const ACK_TIMEOUT_MS = 10_000;

export class NadoStream {
  private readonly socket: ReconnectingSocket;
  /** Ids of control requests (authenticate, private subscribes) awaiting their answer on this connection. */
  private readonly awaiting = new Set<number>();
  /** Sends on the current connection (a no-op once it is gone). */
  private send: (msg: unknown) => void = () => undefined;
  private ackTimer: TimerHandle | null = null;

  constructor(private readonly o: NadoStreamOptions) {
    this.socket = new ReconnectingSocket({
      ...o,
      name: 'nado stream',
      onOpen: (ws) => this.opened(ws),
      onMessage: (data) => this.message(data.toString()),
      onDrop: (reason) => {
        this.awaiting.clear();
        this.disarmAck();
        o.source.onDropped(reason);
      },
      ping: { everyMs: o.pingMs, message: () => ({ method: 'ping', id: 999_999, client_time: String(o.wall.now()) }) },
    });
  }

  start(): void {
    this.socket.start();
  }

  /** Replaces the connection (a stale symbol needs fresh subscriptions); nothing to do while one is being made. */
  reconnect(reason: string): void {
    if (this.socket.hasSocket) this.socket.drop(reason);
  }

  close(): void {
    this.disarmAck();
    this.socket.close();
  }

  private opened(ws: WebSocket): void {
    this.send = (m: unknown): void => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
    };
    this.awaiting.clear();
    for (const msg of this.o.source.subscriptions()) this.send(msg);
    if (this.o.private) {
      this.awaiting.add(AUTH_ID);
      this.send({ ...this.o.private.authenticate(), id: AUTH_ID });
      this.armAck();
    } else this.socket.resetBackoff();
    this.o.source.onConnected();
  }

  private message(text: string): void {
    const now = this.o.wall.now();
    this.socket.alive(now);
    // Answers to our control requests carry an id and no type; data frames always carry a type.
    if (this.awaiting.size > 0 && !text.includes('"type"')) {
      const m = parseControl(text);
      if (m !== null && this.awaiting.has(m.id)) return this.answered(m.id, m.error);
    }
    this.o.source.onMessage(text, now);
  }

  private answered(id: number, error: string | null): void {
    this.awaiting.delete(id);
    const p = this.o.private!;
    if (error !== null) {
      this.o.logger.error({ error }, id === AUTH_ID ? 'nado: stream authentication refused' : 'nado: private subscription refused');
      this.awaiting.clear();
      this.socket.drop(`private stream refused: ${error}`);
      return;
    }
    if (id === AUTH_ID) {
      let next = PRIVATE_ID_BASE;
      for (const sub of p.subscriptions()) {
        const msg = { ...sub, id: next++ };
        this.awaiting.add(msg.id);
        this.send(msg);
      }
      this.armAck();
      return;
    }
    if (this.awaiting.size === 0) {
      this.disarmAck();
      this.socket.resetBackoff();
      p.onPrivateSubscribed();
    }
  }

  private disarmAck(): void {
    if (this.ackTimer !== null) this.o.wall.cancelTimer(this.ackTimer);
    this.ackTimer = null;
  }

  /** (Re)starts the wait for the answers in `awaiting`; unanswered in time, the connection is replaced. */
  private armAck(): void {
    this.disarmAck();
    const ms = this.o.ackTimeoutMs ?? ACK_TIMEOUT_MS;
    this.ackTimer = this.o.wall.setTimer(ms, () => {
      this.ackTimer = null;
      if (this.awaiting.size === 0) return;
      const what = this.awaiting.has(AUTH_ID) ? 'authentication' : 'private subscription';
      this.o.logger.error({ waitedMs: ms, pending: this.awaiting.size }, `nado: no answer to the stream ${what}; replacing the connection`);
      this.awaiting.clear();
      this.socket.drop(`no ${what} ack within ${ms} ms`);
    });
  }
}

function parseControl(text: string): { id: number; error: string | null } | null {
  try {
    const m = JSON.parse(text) as { id?: unknown; error?: unknown };
    if (typeof m.id !== 'number') return null;
    return { id: m.id, error: m.error === undefined || m.error === null ? null : String(m.error).slice(0, 200) };
  } catch {
    return null; // malformed: not an answer
  }
}
