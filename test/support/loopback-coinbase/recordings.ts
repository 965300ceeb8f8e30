/**
 * The real recorded Coinbase Advanced Trade payloads the loopback venue serves
 * (the files the tests use, copied into test/fixtures/venues from ../shared/data; see its README).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const ADVANCED_DIR = resolve(process.cwd(), 'test/fixtures/venues/coinbase-advanced');
export const INTX_DIR = resolve(process.cwd(), 'test/fixtures/venues/coinbase-intx');
export const recordingsPresent = existsSync(ADVANCED_DIR) && existsSync(INTX_DIR);

type Json = Record<string, unknown>;

export function readAdvanced(name: string): Json {
  return JSON.parse(readFileSync(resolve(ADVANCED_DIR, name), 'utf8')) as Json;
}

export function readIntx(name: string): Json {
  return JSON.parse(readFileSync(resolve(INTX_DIR, name), 'utf8')) as Json;
}

/** The recorded BTC perp-style future (BIP-20DEC30-CDE) re-rooted to another asset, for a second DN leg. */
export function cloneFuture(product: Json, root: string, code: string, price: number, tick = '0.5', contractSize = '0.1'): Json {
  const f = product['future_product_details'] as Json;
  return {
    ...product,
    product_id: `${code}-20DEC30-CDE`,
    price: String(price),
    mid_market_price: String(price),
    display_name: `${root} PERP`,
    price_increment: tick,
    future_product_details: { ...f, contract_code: code, contract_root_unit: root, contract_size: contractSize, display_name: `${root} Perpetual` },
  };
}

/** Products served: recorded spot (BTC-USD, ...) and futures, plus ETH and SOL clones of the BTC perp-style future. */
export function loadProducts(): { spot: Json[]; futures: Json[] } {
  const spot = (readAdvanced('http_products.json')['products'] as Json[]).slice();
  const futures = (readAdvanced('http_products_future.json')['products'] as Json[]).slice();
  const bip = futures.find((p) => p['product_id'] === 'BIP-20DEC30-CDE');
  if (!bip) throw new Error('recording lacks BIP-20DEC30-CDE');
  futures.push(cloneFuture(bip, 'ETH', 'ETP', 2500), cloneFuture(bip, 'SOL', 'SLP', 150, '0.01', '5'));
  return { spot, futures };
}
