import { describe, expect, it } from 'vitest';
import ccxt from 'ccxt';
import { isDnbotError } from '../../../../src/core/errors.js';
import {
  parseBalanceSummary,
  parseCandles,
  parseFill,
  parseOrder,
  parsePosition,
  parseProduct,
  parseProducts,
  parseSpotAccount,
  toInstrument,
} from '../../../../adapters/coinbase/coinbase-parse.js';
import { readAdvanced, recordingsPresent } from '../../../support/loopback-coinbase/recordings.js';

const symbolOf = (id: string) =>
  id === 'BIP-20DEC30-CDE' ? { symbol: 'BTC-PERP', contractSize: 0.01 } : id === 'BTC-USD' ? { symbol: 'BTC-SPOT', contractSize: 1 } : id === 'ETH-USD' ? { symbol: 'ETH-SPOT', contractSize: 1 } : null;

describe.skipIf(!recordingsPresent)('Coinbase Advanced Trade parsers on recorded payloads (test/fixtures/venues)', () => {
  it('maps spot and futures products onto our grid, with the symbol ccxt gives them', () => {
    const spot = parseProducts(readAdvanced('http_products.json'));
    const btc = spot.find((p) => p.productId === 'BTC-USD')!;
    expect(btc).toMatchObject({ kind: 'spot', ccxtSymbol: 'BTC/USD', tick: 0.01, lot: 1e-8, minNotional: 1, contractSize: 1, tradable: true });

    const futures = parseProducts(readAdvanced('http_products_future.json'));
    const bip = futures.find((p) => p.productId === 'BIP-20DEC30-CDE')!;
    // 1 contract = 0.01 BTC: the lot and minimum are in BTC, the tick in USD.
    expect(bip).toMatchObject({ kind: 'future', base: 'BTC', quote: 'USD', contractSize: 0.01, tick: 5, lot: 0.01, minSize: 0.01, fundingIntervalMs: 3_600_000 });
    expect(bip.marginRate).toBeCloseTo(0.1000185, 9);

    // Our ccxt symbol must be the one ccxt itself derives (the config names ccxt symbols).
    const ex = new ccxt.coinbase();
    const raw = (readAdvanced('http_products_future.json')['products'] as unknown[]);
    for (const [i, p] of futures.entries()) {
      const m = (ex as unknown as { parseContractMarket(m: unknown, fee: unknown): { symbol: string; contractSize: number } }).parseContractMarket(raw[i], {});
      expect(p.ccxtSymbol).toBe(m.symbol);
      expect(p.contractSize).toBe(m.contractSize);
    }
    expect(bip.ccxtSymbol).toBe('BTC/USD:USD-301220');

    const inst = toInstrument('BTC-PERP', bip, { makerFeeRate: 0.0002, takerFeeRate: 0.0005 });
    expect(inst).toMatchObject({ venue: 'coinbase', symbol: 'BTC-PERP', tickSize: 5, lotSize: 0.01, maxLeverage: 9, makerFeeRate: 0.0002 });
  });

  it('parses an order with its client order id, partially filled while open', () => {
    const vo = parseOrder(readAdvanced('http_order.json')['order'], symbolOf)!;
    expect(vo).toMatchObject({ clientOrderId: '11111-000000-000000', venueOrderId: '0000-000000-000000', symbol: 'BTC-SPOT', status: 'partially_filled', filledSize: 0.001 });
    const list = (readAdvanced('http_orders_list.json')['orders'] as unknown[]).map((o) => parseOrder(o, symbolOf));
    expect(list.map((o) => o?.status)).toEqual(['open', 'filled']);
    expect(parseOrder({ ...(readAdvanced('http_order.json')['order'] as object), product_id: 'DOGE-USD' }, symbolOf)).toBeNull();
  });

  it('parses fills (maker and taker, commission) and skips fills of orders that are not ours', () => {
    const fills = readAdvanced('http_fills.json')['fills'] as unknown[];
    const ours = (id: string) => (id === '0000-000000-000000' ? 'cid-1' : id === '0000-000000-000002' ? 'cid-2' : null);
    const [a, b] = fills.map((f) => parseFill(f, symbolOf, ours));
    expect(a).toMatchObject({ tradeId: '22222-2222222-22222222', clientOrderId: 'cid-1', side: 'buy', price: 45123.45, size: 0.005, fee: 1.14, liquidity: 'maker', ts: Date.parse('2024-01-15T10:30:00Z') });
    expect(b).toMatchObject({ clientOrderId: 'cid-2', symbol: 'ETH-SPOT', side: 'sell', liquidity: 'taker' });
    expect(parseFill(fills[0], symbolOf, () => null)).toBeNull();
  });

  it('turns futures contracts into signed base units', () => {
    const short = parsePosition(readAdvanced('http_cfm_position.json')['position'], symbolOf)!;
    expect(short.size).toBeCloseTo(-0.03, 12); // SHORT 3 contracts × 0.01 BTC
    expect(short.entryPrice).toBe(51000);
    const [long] = (readAdvanced('http_cfm_positions.json')['positions'] as unknown[]).map((p) => parsePosition(p, symbolOf));
    expect(long!.size).toBeCloseTo(0.02, 12);
  });

  it('reads the futures balance summary and candles (oldest first)', () => {
    const acc = parseBalanceSummary(readAdvanced('http_cfm_balance_summary.json'));
    expect(acc).toEqual({ equity: 10150, collateral: 10000, freeCollateral: 7500, initialMargin: 1000, maintenanceMargin: 250 });
    // Spot-only: cash in USD (available 10000.50 + hold 450); the BTC wallet is a position, not cash.
    expect(parseSpotAccount(readAdvanced('http_accounts.json'))).toEqual({ equity: 10450.5, collateral: 10450.5, freeCollateral: 10000.5, initialMargin: 0, maintenanceMargin: 0 });
    const c = parseCandles(readAdvanced('http_candles.json'));
    expect(c.map((x) => x.ts)).toEqual([1712188800000, 1712192400000]);
    expect(c[1]).toMatchObject({ open: 66312.4, close: 66181.6 });
  });

  it('reads money fields given as a {value, currency} object or as a plain decimal string (Coinbase documents both shapes)', () => {
    const flat = (o: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'object' && v !== null && 'value' in v ? (v as { value: string }).value : v]));
    const raw = readAdvanced('http_cfm_balance_summary.json')['balance_summary'] as Record<string, unknown>;
    const flatIntraday = { balance_summary: { ...raw, intraday_margin_window_measure: flat(raw['intraday_margin_window_measure'] as Record<string, unknown>) } };
    expect(parseBalanceSummary(flatIntraday)).toEqual({ equity: 10150, collateral: 10000, freeCollateral: 7500, initialMargin: 1000, maintenanceMargin: 250 });
    expect(parseBalanceSummary({ balance_summary: flat(raw) })).toEqual({ equity: 10150, collateral: 10000, freeCollateral: 7500, initialMargin: 1000, maintenanceMargin: 250 });
    const pos = readAdvanced('http_cfm_position.json')['position'] as Record<string, unknown>;
    expect(parsePosition(flat(pos), symbolOf)).toMatchObject({ size: expect.closeTo(-0.03, 12), entryPrice: 51000, realizedPnl: 0 });
    expect(() => parsePosition({ ...pos, avg_entry_price: 'NaN' }, symbolOf)).toThrow();
  });

  it('a fill whose size is in quote units (size_in_quote) is converted to base units', () => {
    const f = (readAdvanced('http_fills.json')['fills'] as Record<string, unknown>[])[0]!;
    const quoted = parseFill({ ...f, size_in_quote: true, size: '225.61725', price: '45123.45' }, symbolOf, () => 'bot1-q')!;
    expect(quoted.size).toBeCloseTo(0.005, 12);
    expect(parseFill({ ...f, size_in_quote: false }, symbolOf, () => 'bot1-q')!.size).toBe(0.005);
  });

  it('rejects NaN, zero and negative prices and sizes at the boundary', () => {
    const p = (readAdvanced('http_products.json')['products'] as Record<string, unknown>[])[0]!;
    for (const bad of [{ price_increment: 'NaN' }, { price_increment: '0' }, { base_increment: '-1' }, { base_increment: '' }]) {
      let err: unknown = null;
      try {
        parseProduct({ ...p, ...bad });
      } catch (e) {
        err = e;
      }
      expect(isDnbotError(err)).toBe(true);
    }
    const f = (readAdvanced('http_fills.json')['fills'] as Record<string, unknown>[])[0]!;
    expect(() => parseFill({ ...f, size: '0' }, symbolOf, () => 'x')).toThrow();
    expect(() => parseFill({ ...f, price: 'Infinity' }, symbolOf, () => 'x')).toThrow();
  });
});
