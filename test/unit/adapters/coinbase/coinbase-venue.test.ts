/**
 * CoinbaseVenue against a scripted REST client (SimClock): what the venue does with answers the
 * loopback venue never gives (unknown statuses, paged fills, a create that never arrived).
 */
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../../src/core/clock.js';
import { VenueUnknownOutcomeError } from '../../../../src/core/errors.js';
import { silentLogger } from '../../../../src/core/logger.js';
import type { Fill, OrderRequest } from '../../../../src/core/types.js';
import { CoinbaseMarkets } from '../../../../adapters/coinbase/coinbase-instruments.js';
import { parseProducts } from '../../../../adapters/coinbase/coinbase-parse.js';
import type { CoinbaseRest } from '../../../../adapters/coinbase/coinbase-rest.js';
import { CoinbaseVenue } from '../../../../adapters/coinbase/coinbase-venue.js';
import { MemoryStateStore } from '../../../support/loopback-coinbase/harness.js';
import { readAdvanced, recordingsPresent } from '../../../support/loopback-coinbase/recordings.js';

type Json = Record<string, unknown>;
const T0 = Date.parse('2026-11-21T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();

function order(id: string, clientId: string, status: string, filled = '0'): Json {
  return { order_id: id, client_order_id: clientId, product_id: 'BIP-20DEC30-CDE', status, filled_size: filled, created_time: iso(T0) };
}

function fill(entry: string, orderId: string, ts: number, size = '1'): Json {
  return { entry_id: entry, trade_id: entry, order_id: orderId, trade_time: iso(ts), trade_type: 'FILL', price: '68000', size, commission: '0.5', product_id: 'BIP-20DEC30-CDE', liquidity_indicator: 'MAKER', side: 'BUY' };
}

/** A scripted REST client: each method answers from the fields below; calls are recorded. */
class FakeRest {
  ordersAnswer: Json[] = [];
  fillsAnswer: Json[] = [];
  positionContracts = 0;
  createError: Error | null = null;
  readonly cancelled: string[] = [];
  readonly creates: Json[] = [];
  async createOrder(body: Json): Promise<{ orderId: string }> {
    this.creates.push(body);
    if (this.createError) throw this.createError;
    return { orderId: `o-${this.creates.length}` };
  }
  /** When set, open orders are listed only to a request filtering on OPEN. */
  openOnlyByStatus = false;
  readonly orderFilters: Json[] = [];
  async orders(f: { status?: string[] } = {}): Promise<unknown> {
    this.orderFilters.push(f as Json);
    const hide = this.openOnlyByStatus && !f.status?.includes('OPEN');
    return { orders: this.ordersAnswer.filter((o) => !(hide && o['status'] === 'OPEN')), has_next: false, cursor: '' };
  }
  /** Orders GET /orders/historical/{id} knows (the batch list may lag behind it). */
  readonly byId = new Map<string, Json>();
  readonly orderReads: string[] = [];
  async order(id: string): Promise<unknown> {
    this.orderReads.push(id);
    const o = this.byId.get(id);
    return o === undefined ? null : { order: o };
  }
  /** Fills sequenced since `sinceIso` (here: traded since), newest first as on the wire. */
  async fills(f: { sinceIso: string }): Promise<unknown> {
    const since = Date.parse(f.sinceIso);
    return { fills: this.fillsAnswer.filter((x) => Date.parse(String(x['trade_time'])) >= since), cursor: '' };
  }
  async batchCancel(ids: readonly string[]): Promise<{ orderId: string; success: boolean; reason: string }[]> {
    this.cancelled.push(...ids);
    return ids.map((orderId) => ({ orderId, success: true, reason: '' }));
  }
  async cfmPositions(): Promise<unknown> {
    const n = this.positionContracts;
    return { positions: n === 0 ? [] : [{ product_id: 'BIP-20DEC30-CDE', side: n > 0 ? 'LONG' : 'SHORT', number_of_contracts: String(Math.abs(n)), avg_entry_price: { value: '68000' } }] };
  }
}

function setup(state = new MemoryStateStore()) {
  const products = parseProducts(readAdvanced('http_products_future.json'));
  const markets = CoinbaseMarkets.build(['BTC-PERP'], { 'BTC-PERP': 'BIP-20DEC30-CDE' }, products, { makerFeeRate: 0.0004, takerFeeRate: 0.0006 });
  const rest = new FakeRest();
  const wall = new SimClock(T0);
  const venue = new CoinbaseVenue({ rest: rest as unknown as CoinbaseRest, markets, wall, logger: silentLogger, state, pollMs: 1000, accountRefreshMs: 5000, reduceOnly: false });
  const fills: Fill[] = [];
  venue.onFill((f) => fills.push(f));
  return { rest, venue, fills, state };
}

const req = (o: Partial<OrderRequest>): OrderRequest => ({ clientOrderId: 'bot1-000001', symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'POST_ONLY', price: 68000, size: 0.05, reduceOnly: false, ...o });

describe.skipIf(!recordingsPresent)('CoinbaseVenue with a scripted REST client', () => {
  it('an order in a status we do not know (EDIT_QUEUED, UNKNOWN_ORDER_STATUS) stops neither the fill poll nor cancel-all', async () => {
    const { rest, venue, fills } = setup();
    await venue.placeOrder(req({ clientOrderId: 'bot1-a' }));
    await venue.placeOrder(req({ clientOrderId: 'bot1-b' }));
    rest.ordersAnswer = [order('o-1', 'bot1-a', 'EDIT_QUEUED'), order('o-2', 'bot1-b', 'UNKNOWN_ORDER_STATUS'), order('o-9', 'manual-x', 'OPEN')];
    rest.fillsAnswer = [fill('e-1', 'o-1', T0 - 500)];
    await venue.pollOnce();
    expect(fills.map((f) => f.tradeId)).toEqual(['e-1']);
    await venue.cancelAll('shutdown');
    expect(rest.cancelled.sort()).toEqual(['o-1', 'o-2', 'o-9']);
    expect((await venue.openOrders()).map((o) => o.venueOrderId)).toContain('o-1');
  });

  it('a fill whose trade_type is not FILL (REVERSAL, CORRECTION, SYNTHETIC) is never booked, and is reported once as an alert', async () => {
    const { rest, venue, fills } = setup();
    const alerts: { kind: string; data: Record<string, unknown> }[] = [];
    venue.onVenueAlert((a) => alerts.push(a));
    await venue.placeOrder(req({ clientOrderId: 'bot1-a' }));
    rest.fillsAnswer = [
      fill('e-1', 'o-1', T0 - 400),
      { ...fill('e-2', 'o-1', T0 - 300), trade_type: 'REVERSAL' },
      { ...fill('e-3', 'o-9', T0 - 200), trade_type: 'CORRECTION' },
      { ...fill('e-4', 'o-1', T0 - 100), trade_type: 'SYNTHETIC' },
    ];
    await venue.pollOnce();
    await venue.pollOnce();
    expect(fills.map((f) => f.tradeId)).toEqual(['e-1']);
    expect(alerts.map((a) => [a.kind, a.data['tradeType'], a.data['entryId']])).toEqual([
      ['fill_adjustment', 'REVERSAL', 'e-2'],
      ['fill_adjustment', 'CORRECTION', 'e-3'],
      ['fill_adjustment', 'SYNTHETIC', 'e-4'],
    ]);
    expect(alerts[0]!.data['clientOrderId']).toBe('bot1-a');
  });

  it('a lookup by client order id lists orders from a margin before the order was written ahead (start_date)', async () => {
    const { rest, venue } = setup();
    rest.createError = new VenueUnknownOutcomeError('timed out');
    await venue.placeOrder(req({ clientOrderId: 'bot1-s' })).catch(() => undefined);
    rest.ordersAnswer = [order('o-7', 'bot1-s', 'OPEN')];
    expect((await venue.lookupOrder('bot1-s', 'BTC-PERP'))?.venueOrderId).toBe('o-7');
    expect(rest.orderFilters.at(-1)!['startIso']).toBe(iso(T0 - 10 * 60_000));
  });

  it('a malformed fill is skipped, the good fills beside it are delivered', async () => {
    const { rest, venue, fills } = setup();
    await venue.placeOrder(req({ clientOrderId: 'bot1-a' }));
    rest.fillsAnswer = [fill('e-2', 'o-1', T0 - 200), { ...fill('e-bad', 'o-1', T0 - 300), price: 'NaN' }, fill('e-1', 'o-1', T0 - 400)];
    await venue.pollOnce();
    expect(fills.map((f) => f.tradeId)).toEqual(['e-1', 'e-2']);
    expect((await venue.fillsSince(T0 - 1000)).map((f) => f.tradeId)).toEqual(['e-1', 'e-2']);
  });

  it('a fill the venue publishes late, older than fills already delivered, still arrives once', async () => {
    const { rest, venue, fills } = setup();
    await venue.placeOrder(req({ clientOrderId: 'bot1-a', size: 0.1 }));
    rest.fillsAnswer = [fill('e-2', 'o-1', T0 - 100)];
    await venue.pollOnce();
    rest.fillsAnswer = [fill('e-2', 'o-1', T0 - 100), fill('e-1', 'o-1', T0 - 5_000)];
    await venue.pollOnce();
    await venue.pollOnce();
    expect(fills.map((f) => f.tradeId)).toEqual(['e-2', 'e-1']);
  });

  it('a create whose ack was lost when the process died: its mapping was written ahead, so after the restart the order is tracked and its cancel is reported', async () => {
    const state = new MemoryStateStore();
    const first = setup(state);
    first.rest.positionContracts = 5;
    first.rest.createError = new VenueUnknownOutcomeError('coinbase brokerage/orders: no answer');
    await expect(first.venue.placeOrder(req({ clientOrderId: 'bot1-a', side: 'sell', reduceOnly: true }))).rejects.toBeInstanceOf(VenueUnknownOutcomeError);
    const { rest, venue } = setup(state);
    rest.positionContracts = 5;
    rest.ordersAnswer = [order('o-7', 'bot1-a', 'OPEN')];
    await venue.trackOpen();
    // Still working on the venue: it reserves the position it would close.
    await expect(venue.placeOrder(req({ clientOrderId: 'bot1-b', side: 'sell', reduceOnly: true }))).rejects.toThrow(/reduce-only/);
    const updates: string[] = [];
    venue.onOrderUpdate((u) => updates.push(`${u.clientOrderId} ${u.status}`));
    rest.ordersAnswer = [order('o-7', 'bot1-a', 'CANCELLED')];
    await venue.pollOnce();
    expect(updates).toEqual(['bot1-a canceled']);
  });

  it('a lost create ack is found by its client id whether or not the venue lists open orders without an OPEN filter', async () => {
    const { rest, venue } = setup();
    rest.createError = new VenueUnknownOutcomeError('coinbase brokerage/orders: no answer');
    await expect(venue.placeOrder(req({ clientOrderId: 'bot1-a' }))).rejects.toBeInstanceOf(VenueUnknownOutcomeError);
    rest.openOnlyByStatus = true;
    rest.ordersAnswer = [order('o-1', 'bot1-a', 'OPEN')];
    expect(await venue.lookupOrder('bot1-a', 'BTC-PERP')).toMatchObject({ venueOrderId: 'o-1', status: 'open' });
  });

  it('an order that turns up after lookups gave up on it: its fills are still ours (by the written-ahead client id), a stranger\'s fills are looked up once', async () => {
    const { rest, venue, fills } = setup();
    rest.createError = new VenueUnknownOutcomeError('coinbase brokerage/orders: no answer');
    await expect(venue.placeOrder(req({ clientOrderId: 'bot1-late' }))).rejects.toBeInstanceOf(VenueUnknownOutcomeError);
    for (let i = 0; i < 3; i++) expect(await venue.lookupOrder('bot1-late', 'BTC-PERP')).toBeNull();
    rest.byId.set('o-5', order('o-5', 'bot1-late', 'FILLED', '5'));
    rest.byId.set('o-9', order('o-9', 'manual-x', 'FILLED', '1'));
    rest.fillsAnswer = [fill('e-5', 'o-5', T0 - 300, '5'), fill('e-9', 'o-9', T0 - 200)];
    for (let i = 0; i < 3; i++) await venue.pollOnce();
    expect(fills.map((f) => [f.tradeId, f.clientOrderId])).toEqual([['e-5', 'bot1-late']]);
    expect(rest.orderReads.filter((id) => id === 'o-9')).toHaveLength(1);
  });

  it('a price that is not a positive finite number (or rounds to zero) is refused before anything is sent', async () => {
    const { rest, venue } = setup();
    for (const price of [Number.NaN, -5, 0, 2, Number.POSITIVE_INFINITY]) {
      await expect(venue.placeOrder(req({ clientOrderId: `bot1-p${String(price)}`, price }))).rejects.toThrow(/price/);
    }
    expect(rest.creates).toHaveLength(0);
  });

  it('a reduce-only create whose outcome was unknown and that the venue never had stops reserving the position once lookups miss', async () => {
    const { rest, venue } = setup();
    rest.positionContracts = 5; // long 0.05 BTC
    rest.createError = new VenueUnknownOutcomeError('coinbase brokerage/orders: no answer');
    await expect(venue.placeOrder(req({ clientOrderId: 'bot1-close1', side: 'sell', type: 'market', tif: 'IOC', price: 67000, reduceOnly: true }))).rejects.toBeInstanceOf(VenueUnknownOutcomeError);
    for (let i = 0; i < 3; i++) expect(await venue.lookupOrder('bot1-close1', 'BTC-PERP')).toBeNull();
    rest.createError = null;
    const vo = await venue.placeOrder(req({ clientOrderId: 'bot1-close2', side: 'sell', type: 'market', tif: 'IOC', price: 67000, reduceOnly: true }));
    expect(vo.status).toBe('open');
    expect(rest.creates).toHaveLength(2);
  });

  it('a reduce-only create with an unknown outcome still reserves the position while it may exist', async () => {
    const { rest, venue } = setup();
    rest.positionContracts = 5;
    rest.createError = new VenueUnknownOutcomeError('coinbase brokerage/orders: no answer');
    await expect(venue.placeOrder(req({ clientOrderId: 'bot1-close1', side: 'sell', reduceOnly: true }))).rejects.toBeInstanceOf(VenueUnknownOutcomeError);
    rest.createError = null;
    await expect(venue.placeOrder(req({ clientOrderId: 'bot1-close2', side: 'sell', reduceOnly: true }))).rejects.toThrow(/reduce-only/);
  });
});
