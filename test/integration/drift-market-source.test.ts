import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { DriftMarketSource, type DriftMarketSourceOptions } from '../../adapters/drift/drift-market-source.js';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Instrument, MarketEvent } from '../../src/core/types.js';

const FILE = resolve(process.cwd(), 'test/fixtures/venues/drift/ccxt_http_responses.json');
const present = existsSync(FILE);

const BTC = { venue: 'drift', symbol: 'BTC-PERP', tickSize: 0.1, lotSize: 0.0001, minSize: 0.0001 } as Instrument;

interface Loopback {
  readonly http: Server;
  readonly wss: WebSocketServer;
  readonly sockets: WebSocket[];
  readonly subscriptions: unknown[];
  readonly base: string;
  readonly ws: string;
  l2Calls: number;
}

const open: Loopback[] = [];
const sources: DriftMarketSource[] = [];
afterEach(async () => {
  for (const s of sources.splice(0)) await s.close();
  for (const l of open.splice(0)) {
    for (const s of l.sockets) s.terminate();
    l.wss.close();
    l.http.close();
  }
});

/** A source on the loopback BTC market (closed after each test); `o` overrides the defaults. */
function sourceOn(lb: Loopback, o: Partial<DriftMarketSourceOptions> = {}): DriftMarketSource {
  const src = new DriftMarketSource({
    instruments: [BTC],
    marketIndex: new Map([['BTC-PERP', 1]]),
    dlobHttp: lb.base,
    dlobWs: lb.ws,
    dataApi: lb.base,
    wall: new LiveClock(),
    logger: silentLogger,
    staleAfterMs: 300,
    reconnectDelayMs: 20,
    bookDepth: 10,
    ...o,
  });
  sources.push(src);
  return src;
}

async function loopback(doc: Record<string, unknown>, candles: unknown): Promise<Loopback> {
  const state = { l2Calls: 0 };
  const http = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/l2?') && req.url.includes('marketIndex=1')) {
      state.l2Calls++;
      res.end(JSON.stringify(doc));
    } else if (req.url?.startsWith('/market/BTC-PERP/candles/1')) res.end(JSON.stringify(candles));
    else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.on('listening', r));
  const l: Loopback = {
    http,
    wss,
    sockets: [],
    subscriptions: [],
    base: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    ws: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    get l2Calls() {
      return state.l2Calls;
    },
  };
  wss.on('connection', (s) => {
    l.sockets.push(s);
    s.on('message', (m) => l.subscriptions.push(JSON.parse(m.toString())));
  });
  open.push(l);
  return l;
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function drain(src: DriftMarketSource, into: MarketEvent[]): Promise<void> {
  for (;;) {
    const e = await src.next(30);
    if (e === 'idle' || e === null) return;
    into.push(e);
  }
}

describe.skipIf(!present)('DriftMarketSource against a loopback DLOB server (real /l2 payload)', () => {
  it('snapshot, websocket books and marks, malformed frames counted, staleness, reconnect with resync', async () => {
    const rec = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, { httpResponse: Record<string, unknown> }>;
    const doc = rec['fetchOrderBook']!.httpResponse;
    const lb = await loopback(doc, rec['fetchOHLCV']!.httpResponse);
    const src = sourceOn(lb, { historyBars: 60 });
    await src.open();
    expect(src.history('BTC-PERP', 10)).toHaveLength(1);
    const events: MarketEvent[] = [];
    await drain(src, events);
    expect(events.map((e) => e.kind)).toEqual(['book', 'mark']);
    const first = events[0]!;
    expect(first.kind === 'book' && first.book.bids[0]).toEqual({ price: 68864.7, size: 0.0725 });
    expect(first.kind === 'book' && first.book.seq).toBe(399335746);
    expect(events[1]!.kind === 'mark' && events[1]!.mark.markPrice).toBeCloseTo(68922.094561, 6);

    await until(() => lb.subscriptions.length === 2);
    expect(lb.subscriptions).toEqual([
      { type: 'subscribe', marketType: 'perp', channel: 'orderbook', market: 'BTC-PERP', grouping: 1 },
      { type: 'subscribe', marketType: 'perp', channel: 'trades', market: 'BTC-PERP' },
    ]);
    const sock = lb.sockets[0]!;
    const frame = (slot: number, bid: string) => JSON.stringify({ channel: 'orderbook_perp_1', data: JSON.stringify({ ...doc, slot, bids: [{ price: bid, size: '1000000000' }] }) });
    sock.send(JSON.stringify({ channel: 'orderbook_perp_1', data: '{broken' })); // unsyncs the book until the next document
    sock.send(frame(399335750, '68870000000'));
    sock.send(frame(399335740, '68000000000')); // an older slot: ignored, not malformed
    sock.send('{"channel":"heartbeat"}');
    const fill = (rec['fetchTrades']!.httpResponse as unknown as { records: unknown[] }).records[0];
    const tradeFrame = JSON.stringify({ channel: 'trades_perp_1', data: JSON.stringify(fill) });
    sock.send(tradeFrame);
    sock.send(tradeFrame); // repeated (e.g. after a server-side replay): one trade
    await until(() => src.feedHealth()[0]!.dropped === 1);
    await new Promise((r) => setTimeout(r, 50));
    const more: MarketEvent[] = [];
    await drain(src, more);
    const books = more.filter((e) => e.kind === 'book');
    expect(books).toHaveLength(1);
    expect(books[0]!.kind === 'book' && books[0]!.book.bids[0]!.price).toBe(68870);
    const trades = more.filter((e) => e.kind === 'trade');
    expect(trades).toHaveLength(1);
    expect(trades[0]!.kind === 'trade' && trades[0]!.trade).toMatchObject({ symbol: 'BTC-PERP', size: 0.001, aggressor: 'buy', tradeId: 'drift-1-7062235' });
    expect(src.feedHealth()[0]).toMatchObject({ venue: 'drift', symbol: 'BTC-PERP', stale: false, dropped: 1, resyncs: 0 });

    // Quiet past the staleness window: stale, with a reason.
    const callsBefore = lb.l2Calls;
    await until(() => src.feedHealth()[0]!.stale, 2000);
    expect(src.feedHealth()[0]!.reason).toMatch(/no book update|resyncing/);

    // The server drops the socket (or the source replaces the silent one): resync from /l2, reconnect, subscribe again.
    sock.terminate();
    await until(() => lb.subscriptions.length === 4);
    expect(lb.l2Calls).toBeGreaterThan(callsBefore);
    expect(src.feedHealth()[0]).toMatchObject({ stale: false, resyncs: 1 });
    await src.close();
    expect(await src.next(10)).toBeNull();
  });

  it('a socket that stays open but goes silent is replaced and resynced; top() follows the last book', async () => {
    const rec = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, { httpResponse: Record<string, unknown> }>;
    const lb = await loopback(rec['fetchOrderBook']!.httpResponse, []);
    const staleCalls: string[] = [];
    const src = sourceOn(lb, { dataApi: null, staleAfterMs: 200, onStale: (symbol, reason) => staleCalls.push(`${symbol}: ${reason}`) });
    await src.open();
    expect(src.top('BTC-PERP')).toEqual({ bid: 68864.7, ask: expect.any(Number) as number });
    expect(src.top('ETH-PERP')).toBeNull();
    await until(() => lb.sockets.length === 1);
    // The server never answers and never closes (a half-open connection): the source replaces it.
    await until(() => lb.sockets.length === 2, 3000);
    expect(src.feedHealth()[0]!.resyncs).toBeGreaterThanOrEqual(1);
    // Stale once per episode (live mode cancels resting orders on it), not on every watchdog tick.
    expect(staleCalls.length).toBeGreaterThanOrEqual(1);
    expect(staleCalls[0]).toMatch(/^BTC-PERP: /);
    const episodes = src.feedHealth()[0]!.resyncs;
    expect(staleCalls.length).toBeLessThanOrEqual(episodes + 1);
  });

  it('one market whose book never comes while another keeps the socket busy is resubscribed (a new connection), and stays stale meanwhile', async () => {
    const rec = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, { httpResponse: Record<string, unknown> }>;
    const doc = rec['fetchOrderBook']!.httpResponse;
    const lb = await loopback(doc, []);
    const ETH = { ...BTC, symbol: 'ETH-PERP' } as Instrument;
    const src = sourceOn(lb, { dataApi: null, staleAfterMs: 300, instruments: [BTC, ETH], marketIndex: new Map([['BTC-PERP', 1], ['ETH-PERP', 2]]) });
    await src.open();
    // The server streams BTC's book on the newest socket every 50 ms; ETH's subscription is never served.
    let slot = 399335750;
    const pump = setInterval(() => {
      const sock = lb.sockets.at(-1);
      slot++;
      sock?.send(JSON.stringify({ channel: 'orderbook_perp_1_grouped_1', data: JSON.stringify({ ...doc, slot, ts: Date.now() }) }));
    }, 50);
    const ethSubscribes = (): number => lb.subscriptions.filter((m) => (m as { market?: string }).market === 'ETH-PERP').length;
    try {
      await until(() => lb.sockets.length >= 2 && ethSubscribes() >= 4, 3_000); // orderbook + trades, on each connection
    } finally {
      clearInterval(pump);
    }
    expect(src.feedHealth().find((h) => h.symbol === 'ETH-PERP')!.stale).toBe(true);
  });

  it('an /l2 or candles request that never answers is given up, so opening and reconnecting go on', async () => {
    const lb = await loopback({}, []);
    // Every HTTP request hangs until aborted (a dead connection).
    const hanging: typeof fetch = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error)));
    const src = sourceOn(lb, { staleAfterMs: 5_000, historyBars: 60, fetch: hanging, httpTimeoutMs: 100 });
    await src.open();
    await until(() => lb.subscriptions.length === 2);
    lb.sockets[0]!.terminate();
    await until(() => lb.subscriptions.length === 4);
    expect(src.feedHealth()[0]).toMatchObject({ stale: true, resyncs: 1 });
  });
});
