import ccxt from 'ccxt';
import { bench, describe } from 'vitest';
import { CoinbaseStreamState } from '../../adapters/coinbase/coinbase-book.js';

/**
 * Coinbase Advanced Trade `l2_data` frames, from the text on the wire to a book: our stream state
 * (`stepFrame`: the whole frame checked, sequence check, every level parsed before any is applied,
 * apply, a 20-level book for the bots on every frame) against ccxt.pro's own handler on the same
 * frames (JSON.parse, coinbase.handleOrderBook: no sequence check, no view). vitest prints the ratio. A small book (50 levels a side) and a
 * large one (5,000 a side), then 5,000 updates of 1–4 levels each, most of them near the touch.
 */
const N = 5_000;

function frames(levels: number): string[] {
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const lv = (side: 'bid' | 'offer', price: number, qty: number): object => ({ side, event_time: '2026-12-06T10:00:00.000000Z', price_level: price.toFixed(2), new_quantity: qty.toFixed(8) });
  const out: string[] = [];
  const snapshot = [
    ...Array.from({ length: levels }, (_, i) => lv('bid', 82_900 - i * 0.01, 0.5 + rnd())),
    ...Array.from({ length: levels }, (_, i) => lv('offer', 82_900.01 + i * 0.01, 0.5 + rnd())),
  ];
  out.push(JSON.stringify({ channel: 'l2_data', client_id: '', timestamp: '2026-12-06T10:00:00.000000Z', sequence_num: 0, events: [{ type: 'snapshot', product_id: 'BTC-USD', updates: snapshot }] }));
  for (let i = 1; i <= N; i++) {
    // Most changes land within the top 30 levels, as on a real book; a few deeper.
    const depth = (): number => Math.floor(rnd() < 0.9 ? rnd() * 30 : rnd() * levels);
    const updates = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () =>
      rnd() < 0.5 ? lv('bid', 82_900 - depth() * 0.01, rnd() < 0.2 ? 0 : rnd() * 3) : lv('offer', 82_900.01 + depth() * 0.01, rnd() < 0.2 ? 0 : rnd() * 3),
    );
    out.push(JSON.stringify({ channel: 'l2_data', client_id: '', timestamp: '2026-12-06T10:00:00.000000Z', sequence_num: i, events: [{ type: 'update', product_id: 'BTC-USD', updates }] }));
  }
  return out;
}

// ccxt.pro's handler on an instance with the market set offline and a no-op client.
const ex = new ccxt.pro.coinbase();
ex.setMarkets([
  { id: 'BTC-USD', symbol: 'BTC/USD', base: 'BTC', quote: 'USD', baseId: 'BTC', quoteId: 'USD', type: 'spot', spot: true, margin: false, swap: false, future: false, option: false, active: true, contract: false, precision: { amount: 1e-8, price: 0.01 }, limits: { amount: {}, price: {}, cost: {}, leverage: {} }, info: {} } as never,
]);
const client = { subscriptions: {}, resolve: (): void => undefined, reject: (): void => undefined, futures: {} };
const handler = ex as unknown as { handleOrderBook(c: object, m: object): void };
const symbols = { symbolOf: (id: string) => (id === 'BTC-USD' ? { symbol: 'BTC-USD', contractSize: 1 } : null) };

for (const [name, levels] of [['small book (50 levels a side)', 50], ['large book (5,000 levels a side)', 5_000]] as const) {
  const messages = frames(levels);
  describe(`Coinbase level2, ${name}: snapshot and ${N.toLocaleString('en-US')} updates`, () => {
    bench('dnbot stream state (frame check, sequence check, parse, apply, 20-level book per frame)', () => {
      const state = new CoinbaseStreamState(symbols, 20);
      let books = 0;
      for (const m of messages) {
        const r = state.stepFrame(m, 0)!;
        if (r.gap) throw new Error('bench frame did not apply');
        books += r.events.length;
      }
      if (books !== messages.length) throw new Error('a frame gave no book');
    });

    bench('ccxt.pro coinbase.handleOrderBook (JSON.parse, apply)', () => {
      for (const m of messages) handler.handleOrderBook(client, JSON.parse(m) as object);
    });
  });
}
