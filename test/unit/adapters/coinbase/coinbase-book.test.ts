import { describe, expect, it } from 'vitest';
import { CoinbaseStreamState, SortedLevels } from '../../../../adapters/coinbase/coinbase-book.js';
import type { MarketEvent } from '../../../../src/core/types.js';
import { readIntx, recordingsPresent } from '../../../support/loopback-coinbase/recordings.js';

const symbols = {
  symbolOf: (id: string) => (id === 'BIP-20DEC30-CDE' ? { symbol: 'BTC-PERP', contractSize: 0.01 } : id === 'BTC-PERP' ? { symbol: 'BTC-PERP', contractSize: 1 } : null),
};

let seq = 0;
function l2(type: 'snapshot' | 'update', product: string, ups: [string, string, string][], s = seq++): unknown {
  return {
    channel: 'l2_data',
    client_id: '',
    timestamp: '2026-11-21T00:00:00Z',
    sequence_num: s,
    events: [{ type, product_id: product, updates: ups.map(([side, price_level, new_quantity]) => ({ side, event_time: '2026-11-21T00:00:00Z', price_level, new_quantity })) }],
  };
}

function lastBook(evs: MarketEvent[]) {
  const b = evs.filter((e) => e.kind === 'book').at(-1);
  if (!b || b.kind !== 'book') throw new Error('no book event');
  return b.book;
}

/** Coinbase International's LEVEL2 frames (real) in Advanced Trade's l2_data shape, same sequence. */
function intxToAdvanced(m: Record<string, unknown>): unknown {
  const side = (s: string) => (s === 'BUY' || s === 'bid' ? 'bid' : 'offer');
  const ups: [string, string, string][] =
    m['type'] === 'SNAPSHOT'
      ? [
          ...(m['bids'] as [string, string][]).map(([p, q]) => ['bid', p, q] as [string, string, string]),
          ...(m['asks'] as [string, string][]).map(([p, q]) => ['offer', p, q] as [string, string, string]),
        ]
      : (m['changes'] as [string, string, string][]).map(([s, p, q]) => [side(s), p, q]);
  return l2(m['type'] === 'SNAPSHOT' ? 'snapshot' : 'update', String(m['product_id']), ups, Number(m['sequence']));
}

describe('SortedLevels', () => {
  it('keeps the best price first and removes a level at size 0', () => {
    const bids = new SortedLevels(true);
    for (const [p, s] of [[10, 1], [12, 2], [11, 3], [12, 5], [9, 0], [11, 0]] as const) bids.set(p, s);
    expect(bids.top(5)).toEqual([{ price: 12, size: 5 }, { price: 10, size: 1 }]);
    const asks = new SortedLevels(false);
    for (const p of [5, 3, 4]) asks.set(p, 1);
    expect(asks.top(2).map((l) => l.price)).toEqual([3, 4]);
  });
});

describe('Coinbase level2 stream state', () => {
  it('applies a snapshot then absolute-size updates ("0" removes), sizes in base units', () => {
    const st = new CoinbaseStreamState(symbols, 10);
    seq = 0;
    const snap = st.step(l2('snapshot', 'BIP-20DEC30-CDE', [['bid', '68900', '10'], ['bid', '68895', '4'], ['offer', '68905', '7']]), 1000);
    expect(snap.synced).toEqual(['BIP-20DEC30-CDE']);
    const r = st.step(l2('update', 'BIP-20DEC30-CDE', [['bid', '68900', '0'], ['offer', '68905', '2'], ['offer', '68910', '1']]), 2000);
    const b = lastBook(r.events);
    expect(b.ts).toBe(2000); // receive time, not the venue's
    expect(b.bids).toEqual([{ price: 68895, size: 0.04 }]);
    expect(b.asks).toEqual([{ price: 68905, size: 0.02 }, { price: 68910, size: 0.01 }]);
  });

  it('ignores updates before the snapshot and products that are not ours', () => {
    const st = new CoinbaseStreamState(symbols);
    seq = 0;
    expect(st.step(l2('update', 'BIP-20DEC30-CDE', [['bid', '1', '1']]), 1).events).toHaveLength(0);
    expect(st.step(l2('snapshot', 'DOGE-USD', [['bid', '1', '1']]), 2).events).toHaveLength(0);
    expect(st.isSynced('BIP-20DEC30-CDE')).toBe(false);
  });

  it('counts sequence_num across channels: heartbeats keep the chain, a jump is a gap that unsyncs every book', () => {
    const st = new CoinbaseStreamState(symbols);
    seq = 0;
    st.step(l2('snapshot', 'BIP-20DEC30-CDE', [['bid', '100', '1']]), 1);
    const hb = st.step({ channel: 'heartbeats', sequence_num: seq++, events: [{ heartbeat_counter: '1' }] }, 2);
    expect(hb).toMatchObject({ heartbeat: true, gap: false });
    expect(st.step(l2('update', 'BIP-20DEC30-CDE', [['bid', '101', '1']]), 3).gap).toBe(false);
    seq++; // one message lost
    const gap = st.step(l2('update', 'BIP-20DEC30-CDE', [['bid', '102', '1']]), 4);
    expect(gap.gap).toBe(true);
    expect(gap.events).toHaveLength(0);
    expect(st.isSynced('BIP-20DEC30-CDE')).toBe(false);
    expect(st.book('BIP-20DEC30-CDE')!.bids.length).toBe(0);
  });

  it('a level2 message with one malformed level is applied not at all: every book unsynced, a resync asked for', () => {
    const st = new CoinbaseStreamState(symbols);
    seq = 0;
    st.step(l2('snapshot', 'BIP-20DEC30-CDE', [['bid', '100', '1']]), 1);
    const bad = l2('update', 'BIP-20DEC30-CDE', [['bid', '101', '1'], ['bid', '99', '1']]) as { events: { updates: Record<string, unknown>[] }[] };
    bad.events[0]!.updates[1]!['new_quantity'] = null;
    const r = st.step(bad, 2);
    expect(r).toMatchObject({ gap: true, events: [] });
    expect(r.gapReason).toMatch(/could not be applied: .*new_quantity/);
    expect(st.isSynced('BIP-20DEC30-CDE')).toBe(false);
    expect(st.book('BIP-20DEC30-CDE')!.bids.length).toBe(0); // nothing of it half-applied
  });

  it('a level2 message without sequence_num unsyncs the books (it cannot be placed in the sequence)', () => {
    const st = new CoinbaseStreamState(symbols);
    seq = 0;
    st.step(l2('snapshot', 'BIP-20DEC30-CDE', [['bid', '100', '1']]), 1);
    const noSeq = { ...(l2('update', 'BIP-20DEC30-CDE', [['bid', '101', '1']]) as Record<string, unknown>) };
    delete noSeq['sequence_num'];
    expect(st.step(noSeq, 2)).toMatchObject({ gap: true });
    expect(st.isSynced('BIP-20DEC30-CDE')).toBe(false);
  });

  it('a duplicate of a frame already applied is ignored: no gap, the book and the sequence stand', () => {
    const st = new CoinbaseStreamState(symbols);
    seq = 0;
    st.step(l2('snapshot', 'BIP-20DEC30-CDE', [['bid', '100', '1']]), 1);
    const upd = l2('update', 'BIP-20DEC30-CDE', [['bid', '101', '2']]);
    st.step(upd, 2);
    expect(st.step(upd, 3)).toMatchObject({ gap: false, duplicate: true, events: [] });
    expect(st.step(l2('update', 'BIP-20DEC30-CDE', [['bid', '102', '1']]), 4).gap).toBe(false);
    expect(st.isSynced('BIP-20DEC30-CDE')).toBe(true);
    expect(st.book('BIP-20DEC30-CDE')!.bids.top(3).map((l) => l.price)).toEqual([102, 101, 100]);
  });

  it('drops malformed messages and reports venue errors', () => {
    const st = new CoinbaseStreamState(symbols);
    seq = 0;
    st.step(l2('snapshot', 'BIP-20DEC30-CDE', [['bid', '100', '1']]), 1);
    expect(st.step('nonsense', 3).dropped).toBe(1);
    expect(st.step({ type: 'error', message: 'authentication failure' }, 4).error).toBe('authentication failure');
  });

  it('emits trades oldest first (Coinbase sends newest first), skipping the snapshot history', () => {
    const st = new CoinbaseStreamState(symbols);
    const t = (id: string, price: string) => ({ trade_id: id, product_id: 'BIP-20DEC30-CDE', price, size: '3', side: 'SELL', time: '2026-11-21T00:00:00Z' });
    expect(st.step({ channel: 'market_trades', sequence_num: 0, events: [{ type: 'snapshot', trades: [t('1', '1')] }] }, 1).events).toHaveLength(0);
    const r = st.step({ channel: 'market_trades', sequence_num: 1, events: [{ type: 'update', trades: [t('3', '101'), t('2', '100')] }] }, 2);
    expect(r.events.map((e) => (e.kind === 'trade' ? [e.trade.tradeId, e.trade.aggressor, e.trade.size] : null))).toEqual([
      ['2', 'sell', 0.03],
      ['3', 'sell', 0.03],
    ]);
  });
});

describe.skipIf(!recordingsPresent)('level2 on real recorded frames (Coinbase International, test/fixtures/venues)', () => {
  it('rebuilds the BTC-PERP book from the real snapshot and applies the real update', () => {
    const snap = readIntx('ws_book_snapshot.json');
    const upd = readIntx('ws_book_update.json');
    const st = new CoinbaseStreamState(symbols, 1000);
    const s = st.step(intxToAdvanced(snap), 1);
    const before = lastBook(s.events);
    expect(before.bids.length).toBe((snap['bids'] as unknown[]).length);
    expect(before.bids[0]).toEqual({ price: 84323.6, size: 4.9466 });
    expect(before.asks[0]!.price).toBeGreaterThan(before.bids[0]!.price);
    const hadRemoved = before.bids.some((l) => l.price === 84296.2);
    const r = st.step(intxToAdvanced(upd), 2);
    expect(r.gap).toBe(false); // sequence 0 → 1
    const after = lastBook(r.events);
    expect(hadRemoved).toBe(true);
    expect(after.bids.some((l) => l.price === 84296.2)).toBe(false);
    expect(after.bids.find((l) => l.price === 84296.3)).toEqual({ price: 84296.3, size: 0.1779 });
    for (let i = 1; i < after.bids.length; i++) expect(after.bids[i]!.price).toBeLessThan(after.bids[i - 1]!.price);
  });
});
