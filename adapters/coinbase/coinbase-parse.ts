/**
 * Pure parsers for Coinbase Advanced Trade REST payloads (the boundary: NaN, infinite, zero or
 * negative prices and sizes never pass). Futures sizes are in contracts on the wire; we convert
 * them to base units with the product's contract size here and nowhere else.
 */
import { DnbotError, ErrorCodes } from '../../src/core/errors.js';
import type { AccountState, Candle, Fill, Instrument, Position, Side } from '../../src/core/types.js';
import type { VenueOrder, VenueOrderStatus } from '../../src/core/venue.js';

export const COINBASE = 'coinbase';

type Json = Record<string, unknown>;

function bad(what: string, value: unknown): DnbotError {
  return new DnbotError(ErrorCodes.MARKET_BAD_EVENT, `coinbase: bad ${what}: ${JSON.stringify(value)?.slice(0, 80) ?? 'undefined'}`);
}

export function obj(v: unknown, what: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(what, v);
  return v as Json;
}

export function arr(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw bad(what, v);
  return v;
}

export function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw bad(what, v);
  return v;
}

/** A decimal string (or number) → finite number ≥ 0. */
export function nonNeg(v: unknown, what: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0) throw bad(what, v);
  return n;
}

/** A decimal string → finite number > 0. */
export function positive(v: unknown, what: string): number {
  const n = nonNeg(v, what);
  if (n <= 0) throw bad(what, v);
  return n;
}

/** A decimal string → finite number of either sign. */
export function finite(v: unknown, what: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw bad(what, v);
  return n;
}

/** ISO time → epoch ms. */
export function isoMs(v: unknown, what: string): number {
  const t = Date.parse(str(v, what));
  if (!Number.isFinite(t)) throw bad(what, v);
  return t;
}

/** A product as we need it: the wire id, the ccxt symbol, the grid in base units. */
export interface CoinbaseProduct {
  readonly productId: string;
  /** ccxt's unified symbol: `BTC/USD` (spot), `BTC/USD:USD-301220` (dated/perp-style future). */
  readonly ccxtSymbol: string;
  readonly kind: 'spot' | 'future';
  readonly base: string;
  readonly quote: string;
  /** Base units per contract (1 for spot). */
  readonly contractSize: number;
  readonly tick: number;
  /** Size step in base units (contracts step × contract size for futures). */
  readonly lot: number;
  readonly minSize: number;
  readonly minNotional: number;
  /** Intraday initial margin rate (futures), 1 for spot. */
  readonly marginRate: number;
  readonly fundingIntervalMs: number;
  readonly tradable: boolean;
  readonly expiryMs: number | null;
}

function yymmdd(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`;
}

function durationMs(v: unknown): number {
  if (typeof v !== 'string') return 0;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(v);
  return m ? Math.round(Number(m[1]) * 1000) : 0;
}

/** One entry of `products` (GET /api/v3/brokerage/market/products[?product_type=FUTURE]). */
export function parseProduct(raw: unknown): CoinbaseProduct {
  const p = obj(raw, 'product');
  const productId = str(p['product_id'], 'product_id');
  const tick = positive(p['price_increment'], `${productId} price_increment`);
  const baseStep = positive(p['base_increment'], `${productId} base_increment`);
  const baseMin = nonNeg(p['base_min_size'], `${productId} base_min_size`);
  const quote = str(p['quote_currency_id'], `${productId} quote_currency_id`);
  const tradable =
    p['is_disabled'] !== true && p['trading_disabled'] !== true && p['cancel_only'] !== true && p['view_only'] !== true;
  if (p['product_type'] === 'FUTURE') {
    const f = obj(p['future_product_details'], `${productId} future_product_details`);
    const contractSize = positive(f['contract_size'], `${productId} contract_size`);
    const base = str(f['contract_root_unit'], `${productId} contract_root_unit`);
    const expiryMs = f['contract_expiry'] ? isoMs(f['contract_expiry'], `${productId} contract_expiry`) : null;
    const perpetual = f['contract_expiry_type'] === 'PERPETUAL';
    const ccxtSymbol = perpetual || expiryMs === null ? `${base}/${quote}:${quote}` : `${base}/${quote}:${quote}-${yymmdd(expiryMs)}`;
    const im = f['intraday_margin_rate'] ? obj(f['intraday_margin_rate'], 'intraday_margin_rate') : {};
    const longRate = im['long_margin_rate'] ? positive(im['long_margin_rate'], 'long_margin_rate') : 0.2;
    const shortRate = im['short_margin_rate'] ? positive(im['short_margin_rate'], 'short_margin_rate') : 0.2;
    return {
      productId,
      ccxtSymbol,
      kind: 'future',
      base,
      quote,
      contractSize,
      tick,
      lot: baseStep * contractSize,
      minSize: Math.max(baseMin, baseStep) * contractSize,
      minNotional: 0,
      marginRate: Math.max(longRate, shortRate),
      fundingIntervalMs: durationMs(f['funding_interval']),
      tradable,
      expiryMs,
    };
  }
  const base = str(p['base_currency_id'], `${productId} base_currency_id`);
  return {
    productId,
    ccxtSymbol: `${base}/${quote}`,
    kind: 'spot',
    base,
    quote,
    contractSize: 1,
    tick,
    lot: baseStep,
    minSize: Math.max(baseMin, baseStep),
    minNotional: nonNeg(p['quote_min_size'] ?? '0', `${productId} quote_min_size`),
    marginRate: 1,
    fundingIntervalMs: 0,
    tradable,
    expiryMs: null,
  };
}

export function parseProducts(raw: unknown): CoinbaseProduct[] {
  return arr(obj(raw, 'products response')['products'], 'products').map(parseProduct);
}

export interface CoinbaseFees {
  readonly makerFeeRate: number;
  readonly takerFeeRate: number;
}

/**
 * The account's fee rates from GET /brokerage/transaction_summary: `fee_tier.maker_fee_rate` and
 * `taker_fee_rate` (decimal strings, fractions of notional).
 * @throws DnbotError (E_MARKET_BAD_EVENT) naming the field when either is missing or not a rate.
 */
export function parseTransactionSummary(raw: unknown): CoinbaseFees {
  const tier = obj(obj(raw, 'transaction_summary')['fee_tier'], 'transaction_summary fee_tier');
  const maker = finite(tier['maker_fee_rate'], 'fee_tier maker_fee_rate');
  const taker = nonNeg(tier['taker_fee_rate'], 'fee_tier taker_fee_rate');
  if (Math.abs(maker) > 0.05 || taker > 0.05) throw bad('fee_tier rates', `${maker}/${taker}`);
  return { makerFeeRate: maker, takerFeeRate: taker };
}

/** Our instrument for a product, under our symbol. */
export function toInstrument(symbol: string, p: CoinbaseProduct, fees: CoinbaseFees): Instrument {
  return {
    venue: COINBASE,
    symbol,
    baseAsset: p.base,
    quoteAsset: p.quote,
    tickSize: p.tick,
    lotSize: p.lot,
    minSize: p.minSize,
    minNotional: p.minNotional,
    maxLeverage: p.kind === 'spot' ? 1 : Math.max(1, Math.floor(1 / p.marginRate)),
    makerFeeRate: fees.makerFeeRate,
    takerFeeRate: fees.takerFeeRate,
    initialMarginRatio: p.marginRate,
    maintenanceMarginRatio: p.kind === 'spot' ? 1 : p.marginRate / 2,
    fundingIntervalMs: p.fundingIntervalMs,
  };
}

const STATUS: Readonly<Record<string, VenueOrderStatus>> = {
  PENDING: 'open',
  QUEUED: 'open',
  OPEN: 'open',
  FILLED: 'filled',
  CANCELLED: 'canceled',
  CANCEL_QUEUED: 'open',
  EDIT_QUEUED: 'open',
  EXPIRED: 'expired',
  FAILED: 'rejected',
};

/** An order of GET /orders/historical/{id} or /orders/historical/batch, sizes in base units. */
export function parseOrder(raw: unknown, symbolOf: (productId: string) => { symbol: string; contractSize: number } | null): VenueOrder | null {
  const o = obj(raw, 'order');
  const productId = str(o['product_id'], 'order product_id');
  const m = symbolOf(productId);
  if (m === null) return null;
  const raw_status = str(o['status'], 'order status');
  const filled = nonNeg(o['filled_size'] ?? '0', 'filled_size') * m.contractSize;
  let status = STATUS[raw_status];
  if (status === undefined) throw bad('order status', raw_status);
  if (status === 'open' && filled > 0) status = 'partially_filled';
  const reason = typeof o['reject_reason'] === 'string' && o['reject_reason'] !== '' && o['reject_reason'] !== 'REJECT_REASON_UNSPECIFIED'
    ? o['reject_reason']
    : undefined;
  const base = {
    clientOrderId: str(o['client_order_id'], 'client_order_id'),
    venueOrderId: str(o['order_id'], 'order_id'),
    symbol: m.symbol,
    status,
    filledSize: filled,
    ts: o['last_fill_time'] ? isoMs(o['last_fill_time'], 'last_fill_time') : isoMs(o['created_time'], 'created_time'),
  };
  return status === 'rejected' && reason !== undefined ? { ...base, rejectReason: reason } : base;
}

/** A fill of GET /orders/historical/fills. `clientOf` maps the venue order id to ours (null: not ours). */
export function parseFill(
  raw: unknown,
  symbolOf: (productId: string) => { symbol: string; contractSize: number } | null,
  clientOf: (venueOrderId: string) => string | null,
): Fill | null {
  const f = obj(raw, 'fill');
  const m = symbolOf(str(f['product_id'], 'fill product_id'));
  const venueOrderId = str(f['order_id'], 'fill order_id');
  const clientOrderId = clientOf(venueOrderId);
  if (m === null || clientOrderId === null) return null;
  if (f['trade_type'] !== undefined && f['trade_type'] !== 'FILL') return null;
  const sideRaw = str(f['side'], 'fill side');
  if (sideRaw !== 'BUY' && sideRaw !== 'SELL') throw bad('fill side', sideRaw);
  const side: Side = sideRaw === 'BUY' ? 'buy' : 'sell';
  const price = positive(f['price'], 'fill price');
  // An order sized in quote currency reports its fills in quote units too.
  const size = positive(f['size'], 'fill size') / (f['size_in_quote'] === true ? price : 1);
  return {
    tradeId: str(f['entry_id'] ?? f['trade_id'], 'fill entry_id'),
    clientOrderId,
    venueOrderId,
    symbol: m.symbol,
    side,
    price,
    size: size * m.contractSize,
    fee: finite(f['commission'] ?? '0', 'fill commission'),
    liquidity: f['liquidity_indicator'] === 'MAKER' ? 'maker' : 'taker',
    ts: isoMs(f['trade_time'], 'fill trade_time'),
  };
}

/** A CFM futures position (GET /cfm/positions), signed in base units. */
export function parsePosition(raw: unknown, symbolOf: (productId: string) => { symbol: string; contractSize: number } | null): Position | null {
  const p = obj(raw, 'position');
  const m = symbolOf(str(p['product_id'], 'position product_id'));
  if (m === null) return null;
  const contracts = nonNeg(p['number_of_contracts'], 'number_of_contracts');
  const side = str(p['side'], 'position side');
  const cs = p['contract_size'] ? positive(p['contract_size'], 'contract_size') : m.contractSize;
  const sign = side === 'SHORT' ? -1 : side === 'LONG' ? 1 : contracts === 0 ? 1 : NaN;
  if (Number.isNaN(sign)) throw bad('position side', side);
  return {
    symbol: m.symbol,
    size: sign * contracts * cs,
    entryPrice: nonNeg(amount(p['avg_entry_price']), 'avg_entry_price'),
    realizedPnl: p['daily_realized_pnl'] ? money(p, 'daily_realized_pnl') : 0,
  };
}

/** An amount as `{ value, currency }` or as a bare decimal string: Coinbase's docs and payloads show both. */
function amount(v: unknown): unknown {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json)['value'] : v;
}

function money(b: Json, key: string): number {
  return finite(amount(b[key]), key);
}

/** GET /cfm/balance_summary → our account state (USD). */
export function parseBalanceSummary(raw: unknown): AccountState {
  const b = obj(obj(raw, 'balance summary response')['balance_summary'], 'balance_summary');
  const total = money(b, 'total_usd_balance');
  const upnl = b['unrealized_pnl'] ? money(b, 'unrealized_pnl') : 0;
  const im = money(b, 'initial_margin');
  const intraday = b['intraday_margin_window_measure'] ? obj(b['intraday_margin_window_measure'], 'intraday') : null;
  const mm = intraday && intraday['maintenance_margin'] ? money(intraday, 'maintenance_margin') : im / 2;
  return {
    equity: total + upnl,
    collateral: total,
    freeCollateral: money(b, 'available_margin'),
    initialMargin: im,
    maintenanceMargin: mm,
  };
}

/** GET /accounts (spot-only configs): cash in USD and USDC; base holdings are positions, not collateral. */
export function parseSpotAccount(raw: unknown): AccountState {
  let total = 0;
  let free = 0;
  for (const a of arr(obj(raw, 'accounts response')['accounts'], 'accounts')) {
    const o = obj(a, 'account');
    if (o['currency'] !== 'USD' && o['currency'] !== 'USDC') continue;
    const avail = nonNeg(obj(o['available_balance'], 'available_balance')['value'], 'available_balance');
    const hold = o['hold'] ? nonNeg(obj(o['hold'], 'hold')['value'], 'hold') : 0;
    total += avail + hold;
    free += avail;
  }
  return { equity: total, collateral: total, freeCollateral: free, initialMargin: 0, maintenanceMargin: 0 };
}

/** GET /market/products/{id}/candles → oldest first. */
export function parseCandles(raw: unknown): Candle[] {
  const list = arr(obj(raw, 'candles response')['candles'], 'candles').map((c) => {
    const o = obj(c, 'candle');
    return {
      ts: positive(o['start'], 'candle start') * 1000,
      open: positive(o['open'], 'candle open'),
      high: positive(o['high'], 'candle high'),
      low: positive(o['low'], 'candle low'),
      close: positive(o['close'], 'candle close'),
      volume: nonNeg(o['volume'], 'candle volume'),
    };
  });
  return list.sort((a, b) => a.ts - b.ts);
}

/** GET /api/v3/brokerage/time → epoch ms. */
export function parseServerTime(raw: unknown): number {
  const o = obj(raw, 'time response');
  if (o['epochMillis'] !== undefined) return positive(o['epochMillis'], 'epochMillis');
  return isoMs(o['iso'], 'iso');
}
