import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Recorded Nado payloads, copied from ../shared/data/venues/nado (see test/fixtures/README.md). */
export const NADO_DATA = resolve(process.cwd(), 'test/fixtures/venues/nado');
export const nadoDataPresent = existsSync(resolve(NADO_DATA, 'ccxt_http_responses.json'));

type Obj = Record<string, unknown>;

export interface NadoRecorded {
  /** ccxt's static-test HTTP responses keyed by method (fetchCurrencies = the v2 `assets` answer). */
  readonly http: Record<string, { input: unknown[]; httpResponse: unknown }>;
  /** Real stream frames, one JSON object each. */
  readonly frames: readonly Obj[];
  readonly deployment: Obj;
}

export function loadNadoRecorded(): NadoRecorded {
  const http = JSON.parse(readFileSync(resolve(NADO_DATA, 'ccxt_http_responses.json'), 'utf8')) as NadoRecorded['http'];
  const frames = readFileSync(resolve(NADO_DATA, 'ws_frames.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Obj);
  const deployment = JSON.parse(readFileSync(resolve(NADO_DATA, 'deployment.mainnet.json'), 'utf8')) as Obj;
  return { http, frames, deployment };
}

/** A perp the loopback lists: ids and fees for BTC from the recorded assets answer, the rest ours. */
export interface LoopbackProduct {
  readonly productId: number;
  readonly symbol: string; // Nado's, e.g. BTC-PERP
  readonly base: string;
  readonly tick: number;
  readonly lot: number;
  readonly minNotional: number;
  readonly makerFee: number;
  readonly takerFee: number;
  readonly mid: number;
}

const X = 10n ** 18n;
export function x18(v: number): string {
  const neg = v < 0;
  const s = Math.abs(v).toFixed(10);
  const [w, f = ''] = s.split('.');
  const b = BigInt(w!) * X + BigInt(f.padEnd(18, '0').slice(0, 18));
  return (neg && b !== 0n ? '-' : '') + b.toString();
}

/**
 * Products built from the recorded payloads: BTC-PERP is product 2 with the recorded maker/taker
 * fees (fetchCurrencies) and the recorded book's price level (book_depth for product 2, 82,913 –
 * 82,929). ETH and SOL are not in the recordings: their ids and ticks are stand-ins.
 */
export function loopbackProducts(rec: NadoRecorded): LoopbackProduct[] {
  const assets = rec.http['fetchCurrencies']!.httpResponse as Obj[];
  const btc = assets.find((a) => a['symbol'] === 'BTC-PERP')!;
  const btcFrame = rec.frames.find((f) => f['type'] === 'book_depth' && f['product_id'] === 2)!;
  const bid = Number(BigInt(String((btcFrame['bids'] as string[][])[0]![0])) / X);
  return [
    { productId: Number(btc['product_id']), symbol: 'BTC-PERP', base: 'BTC', tick: 1, lot: 0.00005, minNotional: 10, makerFee: Number(btc['maker_fee']), takerFee: Number(btc['taker_fee']), mid: bid + 8 },
    { productId: 4, symbol: 'ETH-PERP', base: 'ETH', tick: 0.1, lot: 0.001, minNotional: 10, makerFee: Number(btc['maker_fee']), takerFee: Number(btc['taker_fee']), mid: 3000 },
    { productId: 8, symbol: 'SOL-PERP', base: 'SOL', tick: 0.01, lot: 0.01, minNotional: 10, makerFee: Number(btc['maker_fee']), takerFee: Number(btc['taker_fee']), mid: 224 },
  ];
}

/** Nado's gateway `/symbols` answer for the products (the fields ccxt's fetchMarkets reads). */
export function symbolsAnswer(products: readonly LoopbackProduct[]): Obj[] {
  return [
    { type: 'spot', product_id: 0, symbol: 'USDT0', price_increment_x18: '0', size_increment: '0', min_size: '0', maker_fee_rate_x18: '0', taker_fee_rate_x18: '0', long_weight_initial_x18: x18(1), long_weight_maintenance_x18: x18(1), trading_status: 'not_tradable' },
    ...products.map((p) => ({
      type: 'perp', product_id: p.productId, symbol: p.symbol, price_increment_x18: x18(p.tick), size_increment: x18(p.lot), min_size: x18(p.minNotional),
      maker_fee_rate_x18: x18(p.makerFee), taker_fee_rate_x18: x18(p.takerFee), long_weight_initial_x18: x18(0.95), long_weight_maintenance_x18: x18(0.97),
      short_weight_initial_x18: x18(1.05), short_weight_maintenance_x18: x18(1.03), trading_status: 'live',
    })),
  ];
}

/** v2 `pairs`. */
export function pairsAnswer(products: readonly LoopbackProduct[]): Obj[] {
  return products.map((p) => ({ product_id: p.productId, ticker_id: `${p.symbol}_USDT0`, base: p.symbol, quote: 'USDT0' }));
}

/** v2 `assets`: the recorded answer plus ETH and SOL entries in the same shape. */
export function assetsAnswer(rec: NadoRecorded, products: readonly LoopbackProduct[]): Obj[] {
  const recorded = rec.http['fetchCurrencies']!.httpResponse as Obj[];
  const extra = products
    .filter((p) => !recorded.some((a) => a['symbol'] === p.symbol))
    .map((p) => ({ product_id: String(p.productId), ticker_id: `${p.symbol}_USDT0`, market_type: 'perp', name: p.base, symbol: p.symbol, maker_fee: String(p.makerFee), taker_fee: String(p.takerFee), can_withdraw: false, can_deposit: false }));
  return [...recorded, ...extra];
}
