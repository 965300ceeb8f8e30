import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDlobL2, parseDlobWsFrame, parseDriftCandles, parseDriftTrades } from '../../../../adapters/drift/drift-parse.js';

const FILE = resolve(process.cwd(), 'test/fixtures/venues/drift/ccxt_http_responses.json');
const present = existsSync(FILE);

function recorded(): Record<string, { httpResponse: unknown }> {
  return JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, { httpResponse: unknown }>;
}

describe.skipIf(!present)('DLOB parsers on the real payloads (test/fixtures/venues/drift)', () => {
  it('parses the /l2 book with vAMM liquidity: prices 1e6, sizes 1e9, slot, oracle and mark', () => {
    const r = parseDlobL2(recorded()['fetchOrderBook']!.httpResponse);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ marketIndex: 1, marketName: 'BTC-PERP', slot: 399335746, ts: 1770731534675 });
    expect(r.value.bids).toEqual([{ price: 68864.7, size: 0.0725 }]);
    expect(r.value.asks).toEqual([{ price: 68918.2, size: 0.2175 }]);
    expect(r.value.oraclePrice).toBeCloseTo(68922.094561, 6);
    expect(r.value.markPrice).toBeCloseTo(68891.45, 6);
  });

  it('parses the /l2 book with DLOB liquidity (the ticker payload)', () => {
    const r = parseDlobL2(recorded()['fetchTicker']!.httpResponse);
    expect(r.ok && r.value.bids[0]).toEqual({ price: 68691.6, size: 0.1102 });
    expect(r.ok && r.value.asks[0]!.price).toBeCloseTo(68731.115338, 6);
  });

  it('parses a websocket frame wrapping the same document as a JSON string', () => {
    const doc = recorded()['fetchOrderBook']!.httpResponse;
    const m = parseDlobWsFrame(JSON.stringify({ channel: 'orderbook_perp_1', data: JSON.stringify(doc) }));
    expect(m.kind).toBe('book');
    if (m.kind === 'book') expect(m.l2.bids[0]!.price).toBe(68864.7);
    // A frame whose channel names another market than its document is dropped.
    expect(parseDlobWsFrame(JSON.stringify({ channel: 'orderbook_perp_2', data: JSON.stringify(doc) })).kind).toBe('malformed');
  });

  it('parses the recorded fill records as trades: UI units, the taker side as aggressor, seconds to ms', () => {
    const records = (recorded()['fetchTrades']!.httpResponse as { records: unknown[] }).records;
    const { trades, bad } = parseDriftTrades(records);
    expect(bad).toBe(0);
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ marketIndex: 1, fillRecordId: '7062235', size: 0.001, aggressor: 'buy', ts: 1770731837_000 });
    expect(trades[0]!.price).toBeCloseTo(68936.1, 6);
    const frame = parseDlobWsFrame(JSON.stringify({ channel: 'trades_perp_1', data: JSON.stringify(records[0]) }));
    expect(frame.kind === 'trades' && frame.trades[0]!.fillRecordId).toBe('7062235');
    expect(parseDlobWsFrame(JSON.stringify({ channel: 'trades_perp_0', data: JSON.stringify(records[0]) })).kind).toBe('malformed');
  });

  it('candles use oracle prices, seconds become ms, oldest first', () => {
    const c = parseDriftCandles(recorded()['fetchOHLCV']!.httpResponse);
    expect(c).toEqual([{ ts: 1770732120_000, open: 68939.447441, high: 68939.447441, low: 68898.529659, close: 68898.529659, volume: 0.0039 }]);
  });
});

describe('DLOB parsers reject what must never reach a book', () => {
  const good = { marketIndex: 0, marketType: 'perp', ts: 1, slot: 5, bids: [{ price: '100000000', size: '1000000000' }], asks: [{ price: '100100000', size: '2000000000' }] };
  it.each([
    ['NaN price', { ...good, bids: [{ price: 'abc', size: '1' }] }],
    ['zero size', { ...good, asks: [{ price: '100100000', size: '0' }] }],
    ['negative price', { ...good, bids: [{ price: '-1', size: '1' }] }],
    ['spot market', { ...good, marketType: 'spot' }],
    ['missing bids', { ...good, bids: undefined }],
    ['bad slot', { ...good, slot: 'x' }],
  ])('%s', (_name, doc) => {
    expect(parseDlobL2(doc).ok).toBe(false);
  });

  it('sorts levels best first even when the server does not', () => {
    const r = parseDlobL2({ ...good, bids: [{ price: '99000000', size: '1' }, { price: '99500000', size: '1' }] });
    expect(r.ok && r.value.bids.map((b) => b.price)).toEqual([99.5, 99]);
  });

  it('a fill record with no size, a bad side or no id is bad; other actions are skipped', () => {
    const fill = { action: 'fill', ts: 1, marketIndex: 0, fillRecordId: '9', baseAssetAmountFilled: '1', quoteAssetAmountFilled: '100', takerOrderDirection: 'short' };
    expect(parseDriftTrades([fill])).toMatchObject({ bad: 0, trades: [{ price: 100, size: 1, aggressor: 'sell' }] });
    expect(parseDriftTrades([{ ...fill, baseAssetAmountFilled: '0' }]).bad).toBe(1);
    expect(parseDriftTrades([{ ...fill, takerOrderDirection: 'up' }]).bad).toBe(1);
    expect(parseDriftTrades([{ ...fill, fillRecordId: null }]).bad).toBe(1);
    expect(parseDriftTrades([{ ...fill, action: 'cancel' }])).toEqual({ trades: [], bad: 0 });
  });

  it('keeps a crossed book as sent (the grouped publisher keeps crossed levels on purpose)', () => {
    const r = parseDlobL2({ ...good, bids: [{ price: '100200000', size: '1' }] });
    expect(r.ok && r.value.bids[0]!.price).toBe(100.2);
  });

  it('reads a grouped frame: orderbook_perp_<i>_grouped_<g>, numeric price and size with float noise snapped to the unit', () => {
    const doc = { ...good, marketIndex: 0, bids: [{ price: 150012300.00000001, size: 2.5e9, sources: { vamm: 2.5e9 } }], asks: [{ price: 150042299.99999997, size: 1e9 }] };
    for (const channel of ['orderbook_perp_0_grouped_1', 'orderbook_perp_0_grouped_10', 'orderbook_perp_0']) {
      const m = parseDlobWsFrame(JSON.stringify({ channel, data: JSON.stringify(doc) }));
      expect(m.kind).toBe('book');
      if (m.kind !== 'book') continue;
      expect(m.l2.bids).toEqual([{ price: 150.0123, size: 2.5 }]);
      expect(m.l2.asks).toEqual([{ price: 150.0423, size: 1 }]);
    }
    expect(parseDlobWsFrame(JSON.stringify({ channel: 'orderbook_perp_2_grouped_1', data: JSON.stringify(doc) }))).toEqual({ kind: 'malformed', reason: 'channel and marketIndex disagree' });
  });

  it('classifies frames: heartbeat, indicative books ignored, garbage malformed', () => {
    expect(parseDlobWsFrame('{"channel":"heartbeat"}').kind).toBe('heartbeat');
    expect(parseDlobWsFrame(JSON.stringify({ channel: 'orderbook_perp_0_grouped_1_indicative', data: '{}' })).kind).toBe('ignored');
    expect(parseDlobWsFrame('not json').kind).toBe('malformed');
    expect(parseDlobWsFrame(JSON.stringify({ channel: 'orderbook_perp_0', data: '{oops' })).kind).toBe('malformed');
  });
});
