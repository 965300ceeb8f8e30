import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ccxt from 'ccxt';
import { bench, describe } from 'vitest';
import { ChainedBook } from '../../adapters/nado/nado-book.js';
import { parseNadoFrame } from '../../adapters/nado/nado-parse.js';

/**
 * Parse-and-apply of Nado book_depth messages: our adapter (parse → chained apply → a 20-level
 * book for the bots) against ccxt.pro's own handler (JSON.parse → nado.handleOrderBook) on the
 * same messages. vitest prints the ratio. Messages are generated from the recorded frame's shape
 * (test/fixtures/venues/nado/ws_frames.jsonl, product 2): 100 levels a side, 1–4 changes each.
 */
const FRAMES = resolve(process.cwd(), 'test/fixtures/venues/nado/ws_frames.jsonl');
const template = existsSync(FRAMES)
  ? (JSON.parse(readFileSync(FRAMES, 'utf8').split('\n')[0]!) as Record<string, unknown>)
  : { type: 'book_depth', product_id: 2, last_max_timestamp: '1790585975679078357', max_timestamp: '1790585975732686867' };

const X = 10n ** 18n;
const N = 5_000;
let ts = BigInt(String(template['max_timestamp']));
const startTs = ts;
let seed = 7;
const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const lv = (px: number, sz: number): [string, string] => [(BigInt(px) * X).toString(), BigInt(Math.round(sz * 1e6) * 1e12).toString()];
const messages: string[] = [];
for (let i = 0; i < N; i++) {
  const last = ts;
  ts += 1_000_000n;
  const bids = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => lv(82_900 - Math.floor(rnd() * 100), rnd() < 0.2 ? 0 : rnd() * 3));
  const asks = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => lv(82_910 + Math.floor(rnd() * 100), rnd() < 0.2 ? 0 : rnd() * 3));
  messages.push(JSON.stringify({ ...template, last_max_timestamp: last.toString(), min_timestamp: ts.toString(), max_timestamp: ts.toString(), bids, asks }));
}
const snapshot = {
  tsNs: startTs,
  bids: Array.from({ length: 100 }, (_, i) => [82_900 - i, 1] as [number, number]),
  asks: Array.from({ length: 100 }, (_, i) => [82_910 + i, 1] as [number, number]),
};

// ccxt.pro's handler on an instance with the market set offline and a no-op client.
const ex = new ccxt.pro.nado();
ex.setMarkets([
  { id: '2', symbol: 'BTC/USDT0:USDT0', base: 'BTC', quote: 'USDT0', settle: 'USDT0', baseId: 'BTC', quoteId: 'USDT0', settleId: 'USDT0', type: 'swap', spot: false, margin: false, swap: true, future: false, option: false, active: true, contract: true, linear: true, inverse: false, contractSize: 1, precision: { amount: 0.00005, price: 1 }, limits: { amount: {}, price: {}, cost: {}, leverage: {} }, info: {} } as never,
]);
const client = { subscriptions: {}, resolve: (): void => undefined, reject: (): void => undefined, futures: {} };
const handler = ex as unknown as { orderbooks: Record<string, unknown>; orderBook(s: object): unknown; handleOrderBook(c: object, m: object): void };

describe('Nado book_depth: parse and apply 5,000 messages', () => {
  bench('dnbot adapter (parse, chain check, apply, 20-level book)', () => {
    const book = new ChainedBook();
    book.seed(snapshot);
    for (const m of messages) {
      const f = parseNadoFrame(m);
      if (f?.type !== 'book_depth' || book.apply(f.frame) !== 'applied') throw new Error('bench frame did not apply');
      book.toBook('BTC-PERP', 0, 20);
    }
  });

  bench('ccxt.pro nado.handleOrderBook (JSON.parse, chain check, apply)', () => {
    handler.orderbooks['BTC/USDT0:USDT0'] = handler.orderBook({ bids: snapshot.bids, asks: snapshot.asks });
    (handler.orderbooks['BTC/USDT0:USDT0'] as Record<string, unknown>)['maxTimestamp'] = startTs.toString();
    for (const m of messages) handler.handleOrderBook(client, JSON.parse(m) as object);
  });
});
