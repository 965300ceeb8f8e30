import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, ErrorCodes, isDnbotError, VenueRejectError, VenueUnknownOutcomeError } from '../../src/core/errors.js';
import { openCoinbaseVenue } from '../../adapters/coinbase/index.js';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { Book, Fill, MarketEvent, OrderRequest } from '../../src/core/types.js';
import type { LiveMarketSource, LiveVenue, VenueBundle, VenueOrder } from '../../src/core/venue.js';
import { staleFeedReason } from '../../src/cli/open-venue.js';
import { recordingsPresent } from '../support/loopback-coinbase/recordings.js';
import { LoopbackCoinbase } from '../support/loopback-coinbase/server.js';
import { heartbeats, loopbackConfig, loopbackEnv, MemoryStateStore, openLoopback } from '../support/loopback-coinbase/harness.js';

function liveOptions(server: LoopbackCoinbase) {
  return { mode: 'live' as const, symbols: ['BTC-PERP'], config: loopbackConfig(server), logger: silentLogger, wall: new LiveClock(), env: loopbackEnv(server), state: new MemoryStateStore() };
}

const wait = (fn: () => void | Promise<void>, timeout = 5000) => vi.waitFor(fn, { timeout, interval: 20 });

/** Drains the source in the background, keeping the latest book per symbol. */
function drain(source: LiveMarketSource): { books: Map<string, Book>; events: MarketEvent[]; stop: () => void } {
  const books = new Map<string, Book>();
  const events: MarketEvent[] = [];
  let running = true;
  void (async () => {
    while (running) {
      const ev = await source.next(50);
      if (ev === null) return;
      if (ev === 'idle') continue;
      events.push(ev);
      if (ev.kind === 'book') books.set(ev.book.symbol, ev.book);
    }
  })();
  return { books, events, stop: () => (running = false) };
}

function req(o: Partial<OrderRequest>): OrderRequest {
  return { clientOrderId: 'bot1-000001', symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'POST_ONLY', price: 68000, size: 0.05, reduceOnly: false, ...o };
}

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe.skipIf(!recordingsPresent)('Coinbase Advanced Trade through a loopback venue (real wire format)', () => {
  let server: LoopbackCoinbase;
  let bundle: VenueBundle | null;
  let stopHb: () => void;

  beforeEach(async () => {
    server = new LoopbackCoinbase();
    await server.start();
    stopHb = heartbeats(server);
    bundle = null;
  });

  afterEach(async () => {
    stopHb();
    if (bundle) {
      await bundle.live?.close();
      await bundle.source.close();
    }
    await server.stop();
  });

  async function open(opts: Parameters<typeof openLoopback>[1] = {}): Promise<{ source: LiveMarketSource; live: LiveVenue }> {
    bundle = await openLoopback(server, opts);
    if (!bundle.live) throw new Error('live venue expected');
    return { source: bundle.source, live: bundle.live };
  }

  it('maps instruments, streams books in base units, and places, fills and cancels orders with our client ids', async () => {
    const { source, live } = await open();
    expect(live.name).toBe('coinbase');
    const inst = new Map(source.instruments.map((i) => [i.symbol, i]));
    expect(inst.get('BTC-PERP')).toMatchObject({ tickSize: 5, lotSize: 0.01 });
    expect(inst.get('ETH-PERP')).toMatchObject({ tickSize: 0.5, lotSize: 0.1 });
    expect(source.history('BTC-PERP', 10).length).toBeGreaterThan(0);
    const d = drain(source);
    await wait(() => expect(d.books.size).toBe(2));
    expect(source.feedHealth().every((h) => !h.stale)).toBe(true);
    // Served futures book: 10 contracts at the best bid = 0.1 BTC.
    expect(d.books.get('BTC-PERP')!.bids[0]!.size).toBeCloseTo(0.1, 12);

    server.stream.update('BIP-20DEC30-CDE', 'bid', 68920, 7);
    await wait(() => expect(d.books.get('BTC-PERP')!.bids[0]).toEqual({ price: 68920, size: 0.07 }));
    server.stream.update('BIP-20DEC30-CDE', 'bid', 68920, 0);
    await wait(() => expect(d.books.get('BTC-PERP')!.bids[0]!.price).toBe(68915));

    const fills: Fill[] = [];
    const updates: VenueOrder[] = [];
    live.onFill((f) => fills.push(f));
    live.onOrderUpdate((u) => updates.push(u));
    const vo = await live.placeOrder(req({ price: 68003.7 }));
    expect(vo).toMatchObject({ clientOrderId: 'bot1-000001', status: 'open' });
    const onVenue = server.state.byClient.get('bot1-000001')!;
    expect(onVenue.config).toEqual({ limit_limit_gtc: { base_size: '5', limit_price: '68000', post_only: true } });

    server.fillResting('bot1-000001', 2);
    await wait(() => expect(fills).toHaveLength(1));
    expect(fills[0]).toMatchObject({ clientOrderId: 'bot1-000001', symbol: 'BTC-PERP', side: 'buy', price: 68000, liquidity: 'maker' });
    expect(fills[0]!.size).toBeCloseTo(0.02, 12);
    await wait(() => expect(updates.at(-1)).toMatchObject({ status: 'partially_filled' }));

    await live.cancelOrder('bot1-000001', 'BTC-PERP');
    await wait(() => expect(updates.at(-1)).toMatchObject({ status: 'canceled' }));
    expect((await live.lookupOrder('bot1-000001', 'BTC-PERP'))?.status).toBe('canceled');
    expect((await live.positions()).find((p) => p.symbol === 'BTC-PERP')?.size).toBeCloseTo(0.02, 12);
    // Polls keep running: the fill is delivered once.
    await new Promise((r) => setImmediate(r));
    await wait(async () => expect(server.requests.filter((x) => x.path.endsWith('/fills')).length).toBeGreaterThan(5));
    expect(fills).toHaveLength(1);
    d.stop();
  });

  it('a post-only order that would cross is refused; an IOC that crosses fills as taker', async () => {
    const { live } = await open();
    const err = await errorOf(live.placeOrder(req({ price: 69000 })));
    expect(err).toBeInstanceOf(VenueRejectError);
    const fills: Fill[] = [];
    live.onFill((f) => fills.push(f));
    await live.placeOrder(req({ clientOrderId: 'bot1-000002', tif: 'IOC', price: 69000, size: 0.03 }));
    await wait(() => expect(fills).toHaveLength(1));
    expect(fills[0]).toMatchObject({ clientOrderId: 'bot1-000002', liquidity: 'taker' });
  });

  it('429 with Retry-After and 5xx on a create are unknown outcomes, settled by lookup; never sent twice', async () => {
    const { live } = await open();
    server.inject('POST', '/orders', 'status_429', 1, 1);
    const e429 = await errorOf(live.placeOrder(req({ clientOrderId: 'bot1-00000a' })));
    expect(e429).toBeInstanceOf(VenueUnknownOutcomeError);
    expect(await live.lookupOrder('bot1-00000a', 'BTC-PERP')).toBeNull();

    server.inject('POST', '/orders', 'status_500', 1);
    const e500 = await errorOf(live.placeOrder(req({ clientOrderId: 'bot1-00000b' })));
    expect(isDnbotError(e500) && e500.code).toBe(ErrorCodes.VENUE_UNKNOWN_OUTCOME);
    expect(server.state.createsReceived).toBe(0); // both failed before the venue acted

    // A 429 on a query waits for Retry-After, then succeeds.
    server.inject('GET', '/cfm/positions', 'status_429', 1, 1);
    const t0 = Date.now();
    await live.positions();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it('a lost create ack: the order exists on the venue, lookup by client id finds it, its fills are not lost', async () => {
    const { live } = await open();
    const fills: Fill[] = [];
    live.onFill((f) => fills.push(f));
    server.inject('POST', '/orders', 'drop_after_create', 1);
    const err = await errorOf(live.placeOrder(req({ clientOrderId: 'bot1-00000c' })));
    expect(err).toBeInstanceOf(VenueUnknownOutcomeError);
    expect(server.state.orders.size).toBe(1);
    server.fillResting('bot1-00000c', 1); // fills before we know the venue's order id
    // Its fill names a venue order id we never heard of: that order's client id (written ahead) is ours.
    await wait(() => expect(fills).toHaveLength(1));
    expect(fills[0]!.clientOrderId).toBe('bot1-00000c');
    const found = await live.lookupOrder('bot1-00000c', 'BTC-PERP');
    expect(found).toMatchObject({ clientOrderId: 'bot1-00000c', status: 'partially_filled' });
    await wait(async () => expect(server.requests.filter((x) => x.path.endsWith('/fills')).length).toBeGreaterThan(6));
    expect(fills).toHaveLength(1); // once
    expect(server.state.createsReceived).toBe(1);
  });

  it('a dropped socket and a sequence gap are resynced from fresh snapshots; a silent stream pauses entries until resynced', async () => {
    bundle = await openLoopback(server, { mode: 'paper' });
    expect(bundle.live).toBeNull();
    const source = bundle.source;
    const d = drain(source);
    await wait(() => expect(d.books.size).toBe(2));

    server.stream.dropAll();
    await wait(() => expect(source.feedHealth().some((h) => h.stale)).toBe(true));
    expect(staleFeedReason(source.feedHealth())).toMatch(/disconnected/);
    await wait(() => expect(source.feedHealth().every((h) => !h.stale)).toBe(true));
    expect(server.stream.connectionsAccepted).toBe(2);

    server.stream.skipSequence();
    server.stream.update('BIP-20DEC30-CDE', 'offer', 68935, 3); // arrives after a gap: not applied, but served on resync
    await wait(() => expect(source.feedHealth()[0]!.resyncs).toBe(2));
    await wait(() => expect(source.feedHealth().every((h) => !h.stale)).toBe(true));
    await wait(() => expect(d.books.get('BTC-PERP')!.asks.find((l) => l.price === 68935)).toEqual({ price: 68935, size: 0.03 }));
    expect(server.stream.connectionsAccepted).toBe(3);

    server.stream.quiet = true;
    await wait(() => expect(staleFeedReason(source.feedHealth())).toMatch(/no message|disconnected|snapshot/));
    server.stream.quiet = false;
    await wait(() => expect(staleFeedReason(source.feedHealth())).toBeNull());
    expect(server.stream.subscribes.filter((s) => s['channel'] === 'heartbeats').length).toBeGreaterThanOrEqual(4);
    d.stop();
  });

  it('one product whose level2 goes silent while heartbeats and the other product flow is resubscribed from fresh snapshots', async () => {
    bundle = await openLoopback(server, { mode: 'paper', config: { bookStallMs: 600 } });
    const source = bundle.source;
    const d = drain(source);
    await wait(() => expect(d.books.size).toBe(2));
    // BTC keeps changing; ETH never does after its snapshot. The socket is never silent.
    let size = 1;
    const btcTicks = setInterval(() => server.stream.update('BIP-20DEC30-CDE', 'bid', 68920, size++ % 5 + 1), 100);
    try {
      await wait(() => expect(source.feedHealth()[0]!.resyncs).toBeGreaterThanOrEqual(1), 5_000);
      await wait(() => expect(server.stream.connectionsAccepted).toBeGreaterThanOrEqual(2));
      await wait(() => expect(source.feedHealth().every((h) => !h.stale)).toBe(true));
    } finally {
      clearInterval(btcTicks);
      d.stop();
    }
  });

  it('a product whose snapshot never arrives while the other product flows is resubscribed, its reason not stuck on "connecting"', async () => {
    server.stream.withholdSnapshotOf = 'ETP-20DEC30-CDE';
    server.stream.withholdSnapshots = 1;
    bundle = await openLoopback(server, { mode: 'paper', config: { bookStallMs: 600 } });
    const source = bundle.source;
    const d = drain(source);
    let size = 1;
    const btcTicks = setInterval(() => server.stream.update('BIP-20DEC30-CDE', 'bid', 68920, size++ % 5 + 1), 100);
    try {
      await wait(() => expect(d.books.get('BTC-PERP')).toBeDefined());
      expect(staleFeedReason(source.feedHealth())).not.toMatch(/connecting/);
      await wait(() => expect(server.stream.connectionsAccepted).toBeGreaterThanOrEqual(2), 5_000);
      await wait(() => expect(source.feedHealth().every((h) => !h.stale)).toBe(true));
      expect(d.books.size).toBe(2);
    } finally {
      clearInterval(btcTicks);
      d.stop();
    }
  });

  it('with the stall check off, a quiet product does not churn the stream', async () => {
    bundle = await openLoopback(server, { mode: 'paper', config: { bookStallMs: 0 } });
    const d = drain(bundle.source);
    await wait(() => expect(d.books.size).toBe(2));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(bundle.source.feedHealth()[0]!.resyncs).toBe(0);
    expect(server.stream.connectionsAccepted).toBe(1);
    d.stop();
  });

  it('after a restart with orders open: reconciled by the stored mapping, fills still attributed, cancel-all clears them', async () => {
    const state = new MemoryStateStore();
    const first = await open({ state });
    await first.live.placeOrder(req({ clientOrderId: 'bot1-00000d' }));
    await first.live.close();
    await first.source.close();

    const { live } = await open({ state });
    const open1 = await live.openOrders();
    expect(open1.map((o) => o.clientOrderId)).toEqual(['bot1-00000d']);
    const fills: Fill[] = [];
    live.onFill((f) => fills.push(f));
    server.fillResting('bot1-00000d', 1);
    await wait(() => expect(fills).toHaveLength(1));
    expect(fills[0]!.clientOrderId).toBe('bot1-00000d');
    await live.cancelAll('shutdown');
    expect(await live.openOrders()).toHaveLength(0);
    expect(server.state.createsReceived).toBe(1);
  });

  it('reduce-only is enforced by us (Coinbase\'s flag is never sent), and the global switch holds every order to it', async () => {
    const { live } = await open();
    const creates = () => server.state.createsReceived;
    const e = await errorOf(live.placeOrder(req({ clientOrderId: 'bot1-00000e', side: 'sell', price: 69500, reduceOnly: true })));
    expect(e).toBeInstanceOf(VenueRejectError);
    expect(creates()).toBe(0);
    await live.placeOrder(req({ clientOrderId: 'bot1-00000f', tif: 'IOC', price: 69000, size: 0.05 })); // long 0.05
    await wait(async () => expect((await live.positions())[0]?.size).toBeCloseTo(0.05, 12));
    await live.placeOrder(req({ clientOrderId: 'bot1-00000g', side: 'sell', price: 69500, size: 0.03, reduceOnly: true }));
    const over = await errorOf(live.placeOrder(req({ clientOrderId: 'bot1-00000h', side: 'sell', price: 69500, size: 0.03, reduceOnly: true })));
    expect(over).toBeInstanceOf(VenueRejectError); // 0.03 working + 0.03 > 0.05
    expect(creates()).toBe(2);
    await bundle!.live!.close();
    await bundle!.source.close();

    const { live: guarded } = await open({ config: { reduceOnly: true } });
    const g = await errorOf(guarded.placeOrder(req({ clientOrderId: 'bot1-00000i', price: 68000 })));
    expect(g).toBeInstanceOf(VenueRejectError);
    expect(creates()).toBe(2);
  });

  it('live mode: a stale stream cancels every resting order once (no dead-man switch on Coinbase); off when configured', async () => {
    const { source, live } = await open();
    const d = drain(source);
    await wait(() => expect(source.feedHealth().every((h) => !h.stale)).toBe(true));
    await live.placeOrder(req({ clientOrderId: 'bot1-00000s' }));
    server.stream.dropAll();
    await wait(() => expect(server.state.byClient.get('bot1-00000s')!.status).toBe('CANCELLED'));
    await wait(() => expect(source.feedHealth().every((h) => !h.stale)).toBe(true));
    d.stop();
    await bundle!.live!.close();
    await bundle!.source.close();

    const kept = await open({ config: { cancelOnStale: false } });
    await wait(() => expect(kept.source.feedHealth().every((h) => !h.stale)).toBe(true));
    await kept.live.placeOrder(req({ clientOrderId: 'bot1-00000t' }));
    server.stream.dropAll();
    await wait(() => expect(kept.source.feedHealth()[0]!.resyncs).toBe(1));
    await wait(() => expect(kept.source.feedHealth().every((h) => !h.stale)).toBe(true));
    expect(server.state.byClient.get('bot1-00000t')!.status).toBe('OPEN');
  });

  it('spot for a long-only leg: spot grid, cash as the account, the base wallet as the position', async () => {
    const { source, live } = await open({ symbols: ['BTC-SPOT'], config: { symbols: { 'BTC-SPOT': 'BTC/USD' } } });
    expect(source.instruments[0]).toMatchObject({ symbol: 'BTC-SPOT', tickSize: 0.01, lotSize: 1e-8, minNotional: 1, maxLeverage: 1 });
    expect(await live.account()).toMatchObject({ equity: 10450.5, freeCollateral: 10000.5 });
    expect((await live.positions())[0]).toMatchObject({ symbol: 'BTC-SPOT' });
    expect((await live.positions())[0]!.size).toBeCloseTo(1.23956789, 8);
    await live.placeOrder(req({ clientOrderId: 'bot1-00000p', symbol: 'BTC-SPOT', price: 68000.019, size: 0.0012345678 }));
    expect(server.state.byClient.get('bot1-00000p')!.config).toEqual({ limit_limit_gtc: { base_size: '0.00123456', limit_price: '68000.01', post_only: true } });
  });

  it('the private user channel (JWT) wakes the poll: a fill arrives at once, not at the poll interval', async () => {
    const { live } = await open({ config: { pollMs: 60_000 } });
    const fills: Fill[] = [];
    live.onFill((f) => fills.push(f));
    await live.placeOrder(req({ clientOrderId: 'bot1-00000u' }));
    await wait(() => expect(server.stream.subscribes.some((m) => m['channel'] === 'user')).toBe(true));
    expect(server.stream.userRefusals).toBe(0);
    const t0 = Date.now();
    server.fillResting('bot1-00000u', 1);
    await wait(() => expect(fills).toHaveLength(1), 15_000);
    expect(Date.now() - t0).toBeLessThan(15_000); // the poll is 60 s: anything well under it came from the channel
    expect(fills[0]!.clientOrderId).toBe('bot1-00000u');
  });

  it('an open that fails after the market stream started (the open-orders read fails) closes the stream it started, so the process can exit', async () => {
    server.inject('GET', '/orders/historical/batch', 'status_500', 10);
    const err = await errorOf(openLoopback(server, { config: { queryRetries: 0 } }));
    expect(String(err)).toMatch(/HTTP 50\d/);
    await wait(() => expect(server.stream.connectionsAccepted).toBeGreaterThan(0));
    await wait(() => expect(server.stream.openConnections).toBe(0));
  });

  it('live mode refuses a key the venue rejects or one that cannot trade, naming the variable (exit 2)', async () => {
    const other = new LoopbackCoinbase();
    const wrong = await errorOf(openCoinbaseVenue({ ...liveOptions(server), env: { COINBASE_API_KEY_NAME: server.apiKeyName, COINBASE_API_PRIVATE_KEY: other.privateKeyPem } }));
    expect(wrong).toBeInstanceOf(ConfigError);
    expect((wrong as ConfigError).field).toBe('COINBASE_API_KEY_NAME');
    expect((wrong as Error).message).toMatch(/refused the key \(HTTP 401\)/);
    expect((wrong as Error).message).not.toContain('PRIVATE KEY-----');
    server.keyCanTrade = false;
    const viewOnly = await errorOf(openCoinbaseVenue(liveOptions(server)));
    expect((viewOnly as Error).message).toMatch(/no trade permission/);
    const missing = await errorOf(openCoinbaseVenue({ ...liveOptions(server), env: { COINBASE_API_KEY_NAME: server.apiKeyName } }));
    expect((missing as ConfigError).field).toBe('COINBASE_API_PRIVATE_KEY');
    expect(server.state.createsReceived).toBe(0);
  });

  it('the limiter never lets more than the configured private rate through in any second', async () => {
    const { live } = await open({ config: { limits: { privatePerSecond: 10, publicPerSecond: 10 }, pollMs: 100_000 } });
    const start = Date.now();
    await Promise.all(Array.from({ length: 24 }, () => live.positions()));
    const priv = server.requests.filter((r) => r.private && r.ts >= start).map((r) => r.ts);
    expect(priv.length).toBeGreaterThanOrEqual(24);
    for (const t of priv) expect(priv.filter((x) => x >= t && x < t + 1000).length).toBeLessThanOrEqual(9); // 90 % of 10
  });
});
