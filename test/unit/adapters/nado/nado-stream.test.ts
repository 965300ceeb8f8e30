import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { NadoMarketSource } from '../../../../adapters/nado/nado-market-source.js';
import { NadoStream } from '../../../../adapters/nado/nado-stream.js';
import { SimClock } from '../../../../src/core/clock.js';
import { silentLogger } from '../../../../src/core/logger.js';

type Msg = { method?: string; id?: number; stream?: { type: string } };

describe('NadoStream: subscriptions, authentication, private acks and keep-alive (loopback server, simulated wall clock)', () => {
  let server: WebSocketServer;
  let url: string;
  let received: Msg[];
  let refuseAuth: boolean;
  let ignoreAuth: number;
  let peers: WebSocket[];
  let stream: NadoStream | null;
  const wall = new SimClock(1_000_000);

  beforeEach(async () => {
    received = [];
    peers = [];
    refuseAuth = false;
    ignoreAuth = 0;
    stream = null;
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (ws) => {
      peers.push(ws);
      ws.on('message', (raw) => {
        const m = JSON.parse(String(raw)) as Msg;
        received.push(m);
        if (m.method === 'authenticate' && ignoreAuth > 0) ignoreAuth--; // the ack is lost
        else if (m.method === 'authenticate' && refuseAuth) ws.send(JSON.stringify({ error: 'bad signature', id: m.id }));
        else if (m.method !== 'ping') ws.send(JSON.stringify({ result: null, id: m.id }));
      });
    });
    await new Promise<void>((r) => server.once('listening', () => r()));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    stream?.close();
    for (const p of peers) p.terminate();
    await new Promise<void>((r) => server.close(() => r()));
  });

  function open(): { frames: string[]; drops: string[]; subscribed: () => number } {
    const frames: string[] = [];
    const drops: string[] = [];
    let subscribed = 0;
    const source = {
      subscriptions: () => [{ method: 'subscribe', stream: { type: 'book_depth', product_id: 2 }, id: 1 }],
      onConnected: () => undefined,
      onDropped: (r: string) => void drops.push(r),
      onMessage: (text: string) => void frames.push(text),
    } as unknown as NadoMarketSource;
    stream = new NadoStream({
      url, wall, logger: silentLogger, reconnectDelayMs: 100, staleAfterMs: 60_000, source, pingMs: 20_000,
      private: {
        authenticate: () => ({ method: 'authenticate', tx: { sender: '0xabc' }, signature: '0x1' }),
        subscriptions: () => [{ method: 'subscribe', stream: { type: 'fill', product_id: 2 } }, { method: 'subscribe', stream: { type: 'order_update', product_id: 2 } }],
        onPrivateSubscribed: () => void subscribed++,
      },
    });
    stream.start();
    return { frames, drops, subscribed: () => subscribed };
  }
  const wait = (f: () => void): Promise<void> => vi.waitFor(f, { timeout: 5_000, interval: 5 });

  it('subscribes public streams, authenticates, subscribes private streams once accepted, and backfills only when they are acknowledged', async () => {
    const s = open();
    await wait(() => expect(s.subscribed()).toBe(1));
    expect(received.map((m) => m.method === 'subscribe' ? m.stream!.type : m.method)).toEqual(['book_depth', 'authenticate', 'fill', 'order_update']);
    // The answers to our own requests are consumed; the public ack and data frames reach the source.
    peers[0]!.send(JSON.stringify({ type: 'trade', product_id: 2 }));
    await wait(() => expect(s.frames.some((f) => f.includes('"trade"'))).toBe(true));
    expect(s.frames.filter((f) => !f.includes('"type"'))).toEqual([JSON.stringify({ result: null, id: 1 })]);
    // Keep-alive: a JSON ping goes out with the protocol ping every pingMs of wall time.
    wall.advanceTo(wall.now() + 20_001);
    await wait(() => expect(received.some((m) => m.method === 'ping')).toBe(true));
    expect(s.subscribed()).toBe(1);
  });

  it('authenticates with an id of at least 1 that no public subscribe uses', async () => {
    const s = open();
    await wait(() => expect(s.subscribed()).toBe(1));
    const auth = received.find((m) => m.method === 'authenticate')!;
    expect(auth.id).toBeGreaterThanOrEqual(1);
    const ids = received.filter((m) => m.method !== 'ping').map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a lost authentication ack times out and replaces the connection; the next one subscribes the private streams', async () => {
    ignoreAuth = 1;
    const s = open();
    await wait(() => expect(received.filter((m) => m.method === 'authenticate')).toHaveLength(1));
    expect(s.subscribed()).toBe(0);
    wall.advanceTo(wall.now() + 10_001);
    await wait(() => expect(s.drops).toHaveLength(1));
    expect(s.drops[0]).toMatch(/no authentication ack within 10000 ms/);
    wall.advanceTo(wall.now() + 200); // the reconnect backoff
    await wait(() => expect(s.subscribed()).toBe(1));
    expect(received.filter((m) => m.method === 'authenticate')).toHaveLength(2);
  });

  it('a refused authentication drops the connection (a gap) and never reports the private streams subscribed', async () => {
    refuseAuth = true;
    const s = open();
    await wait(() => expect(s.drops).toHaveLength(1));
    expect(s.drops[0]).toMatch(/private stream refused: bad signature/);
    expect(received.some((m) => m.stream?.type === 'fill')).toBe(false);
    expect(s.subscribed()).toBe(0);
  });
});
