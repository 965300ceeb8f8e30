import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { ReconnectingSocket, type ReconnectingSocketOptions } from '../../../../adapters/ccxt-common/reconnecting-socket.js';
import { SimClock } from '../../../../src/core/clock.js';
import { silentLogger } from '../../../../src/core/logger.js';

describe('ReconnectingSocket against a loopback server, timers on a simulated wall clock', () => {
  let server: WebSocketServer;
  let url: string;
  let peers: WebSocket[];
  let wall: SimClock;
  let socket: ReconnectingSocket | null;
  let drops: string[];
  let messages: string[];

  beforeEach(async () => {
    peers = [];
    drops = [];
    messages = [];
    socket = null;
    wall = new SimClock(1_000_000);
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (ws) => {
      peers.push(ws);
      ws.on('message', (m) => ws.send(`echo ${String(m)}`));
    });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    socket?.close();
    for (const p of peers) p.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function open(staleAfterMs: number, over: Partial<ReconnectingSocketOptions> = {}): ReconnectingSocket {
    const s = new ReconnectingSocket({
      url,
      wall,
      logger: silentLogger,
      name: 'test stream',
      reconnectDelayMs: 100,
      staleAfterMs,
      onOpen: (ws) => ws.send('subscribe'),
      onMessage: (data) => messages.push(String(data)),
      onDrop: (reason) => drops.push(reason),
      ...over,
    });
    socket = s;
    s.start();
    return s;
  }
  const connected = (n: number): Promise<void> => vi.waitFor(() => expect(peers.length).toBe(n), { timeout: 5_000, interval: 5 });
  const dropServerSide = async (): Promise<void> => {
    const before = drops.length;
    peers.at(-1)!.terminate();
    await vi.waitFor(() => expect(drops.length).toBe(before + 1), { timeout: 5_000, interval: 5 });
  };
  /** Real time passes with no simulated time: nothing scheduled on the wall clock can fire. */
  const quiet = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 100));

  it('subscribes on open, delivers messages, reconnects after a drop with a doubling delay until the backoff is reset', async () => {
    const s = open(1e9);
    await connected(1);
    await vi.waitFor(() => expect(messages).toEqual(['echo subscribe']), { timeout: 5_000, interval: 5 });
    expect(s.connects).toBe(1);

    await dropServerSide();
    expect(drops).toEqual(['stream disconnected; reconnecting']);
    wall.advanceTo(wall.now() + 99);
    await quiet();
    expect(s.connects).toBe(1);
    wall.advanceTo(wall.now() + 1);
    await connected(2);

    await dropServerSide();
    wall.advanceTo(wall.now() + 199); // the second wait is twice the first
    await quiet();
    expect(peers.length).toBe(2);
    wall.advanceTo(wall.now() + 1);
    await connected(3);

    s.resetBackoff();
    await dropServerSide();
    wall.advanceTo(wall.now() + 100);
    await connected(4);
    expect(s.connects).toBe(4);
  });

  it('replaces a connection silent for staleAfterMs; signs of life hold the watchdog off', async () => {
    const s = open(1_000);
    await connected(1);
    const t0 = wall.now();
    wall.advanceTo(t0 + 900);
    s.alive(wall.now());
    wall.advanceTo(t0 + 1_750); // watchdog checks every 250 ms: 850 ms since the last sign of life
    expect(drops).toEqual([]);
    wall.advanceTo(t0 + 2_000); // 1100 ms of silence
    expect(drops).toEqual(['no message for 1000 ms; resyncing']);
    expect(s.lastMessageTs).toBe(t0 + 900);
    wall.advanceTo(t0 + 2_100); // the reconnect delay
    await connected(2);
    expect(s.lastMessageTs).toBe(t0 + 2_100); // a fresh connection counts as alive
  });

  it('an owner-requested drop replaces the connection; close ends everything for good', async () => {
    const s = open(1_000);
    await connected(1);
    s.drop('sequence gap; resyncing');
    expect(drops).toEqual(['sequence gap; resyncing']);
    wall.advanceTo(wall.now() + 100);
    await connected(2);

    s.close();
    await vi.waitFor(() => expect(peers[1]!.readyState).toBe(peers[1]!.CLOSED), { timeout: 5_000, interval: 5 });
    s.drop('after close');
    wall.advanceTo(wall.now() + 60_000);
    await quiet();
    expect(drops).toEqual(['sequence gap; resyncing']);
    expect(peers.length).toBe(2);
    expect(wall.pendingTimers()).toBe(0);
  });

  it('an owner that throws on open or on a message (a JWT that cannot be signed, a parser bug) drops the connection instead of crashing the process', async () => {
    const crashes: unknown[] = [];
    const onCrash = (e: unknown): void => void crashes.push(e);
    process.on('uncaughtException', onCrash);
    try {
      let opens = 0;
      open(10_000, {
        onOpen: (ws) => {
          if (++opens === 1) throw new Error('cannot sign');
          ws.send('subscribe');
        },
        onMessage: (data) => {
          if (String(data) === 'echo subscribe') throw new Error('parser bug');
          messages.push(String(data));
        },
      });
      await vi.waitFor(() => expect(drops).toHaveLength(1), { timeout: 5_000, interval: 5 });
      expect(drops[0]).toMatch(/cannot sign/);
      wall.advanceTo(wall.now() + 100);
      await vi.waitFor(() => expect(drops).toHaveLength(2), { timeout: 5_000, interval: 5 });
      expect(drops[1]).toMatch(/parser bug/);
      expect(crashes).toEqual([]);
    } finally {
      process.off('uncaughtException', onCrash);
    }
  });
});
