import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CoinbaseStreamState, SortedLevels } from '../../../../adapters/coinbase/coinbase-book.js';
import { scanL2Frame } from '../../../../adapters/coinbase/coinbase-l2-frame.js';

const symbols = { symbolOf: (id: string) => (id === 'BTC-USD' ? { symbol: 'BTC-USD', contractSize: 1 } : id === 'BIP-20DEC30-CDE' ? { symbol: 'BTC-PERP', contractSize: 0.01 } : null) };

const level = (side: string, price: string, qty: string) => ({ side, event_time: '2026-12-06T10:00:00Z', price_level: price, new_quantity: qty });
const frame = (seq: unknown, events: unknown[], extra: Record<string, unknown> = {}) => ({ channel: 'l2_data', client_id: '', timestamp: '2026-12-06T10:00:00Z', sequence_num: seq, events, ...extra });

/** Feeds the same texts to two states, one through stepFrame, one through JSON.parse and step: results and books must agree. */
function agree(texts: readonly string[]): void {
  const fast = new CoinbaseStreamState(symbols, 5);
  const slow = new CoinbaseStreamState(symbols, 5);
  for (const [i, t] of texts.entries()) {
    let parsed: unknown;
    let json = true;
    try {
      parsed = JSON.parse(t);
    } catch {
      json = false;
    }
    const a = fast.stepFrame(t, i);
    if (!json) {
      expect(a).toBeNull();
      continue;
    }
    expect(a).toEqual(slow.step(parsed, i));
    for (const id of ['BTC-USD', 'BIP-20DEC30-CDE']) {
      expect(fast.isSynced(id)).toBe(slow.isSynced(id));
      expect(fast.book(id)?.toBook('x', 0, 0, 50)).toEqual(slow.book(id)?.toBook('x', 0, 0, 50));
    }
  }
}

describe('Coinbase l2_data fast path', () => {
  it('reads the usual frame as the general path does, and declines any other shape (the general path then decides)', () => {
    const snap = frame(0, [{ type: 'snapshot', product_id: 'BTC-USD', updates: [level('bid', '100.5', '1'), level('offer', '101', '2.5')] }]);
    expect(scanL2Frame(JSON.stringify(snap), symbols)).toEqual({
      seq: 0,
      events: [{ productId: 'BTC-USD', symbol: 'BTC-USD', contractSize: 1, snapshot: true, updates: [{ side: 'bid', price: 100.5, size: 1 }, { side: 'ask', price: 101, size: 2.5 }] }],
    });
    // Whitespace between tokens or another key order is not the usual text: the general path reads it.
    expect(scanL2Frame(JSON.stringify(snap, null, 2), symbols)).toBeNull();
    expect(scanL2Frame(JSON.stringify({ events: snap.events, sequence_num: 3, channel: 'l2_data' }), symbols)).toBeNull();
    // Other products are skipped, as the general path skips them.
    expect(scanL2Frame(JSON.stringify(frame(1, [{ type: 'update', product_id: 'ETH-USD', updates: [level('bid', 'x', 'y')] }])), symbols)).toEqual({ seq: 1, events: [] });
    const declined = [
      frame(1, [{ type: 'update', product_id: 'BTC-USD', updates: [level('bid', '100', '-1')] }]), // a size the general path refuses
      frame(1, [{ type: 'update', product_id: 'BTC-USD', updates: [level('bid', ' ', '1')] }]),
      frame(1, [{ type: 'update', product_id: 'BTC-USD', updates: [level('bid', '100', 'Infinity')] }]),
      frame(1, [{ type: 'update', product_id: 'BTC-USD', updates: [level('buy', '100', '1')] }]),
      frame(1, [{ type: 'diff', product_id: 'BTC-USD', updates: [] }]),
      frame(1.5, []),
      frame('1', []),
      frame(1, [], { extra: true }),
    ];
    for (const f of declined) expect(scanL2Frame(JSON.stringify(f), symbols)).toBeNull();
    expect(scanL2Frame(JSON.stringify(frame(1, [])).replace('"l2_data"', '"l2_\\u0064ata"'), symbols)).toBeNull(); // an escape
    expect(scanL2Frame('{"channel":"heartbeats","sequence_num":1,"events":[]}', symbols)).toBeNull();
    expect(scanL2Frame(`${JSON.stringify(frame(1, []))} x`, symbols)).toBeNull();
    expect(scanL2Frame(JSON.stringify(frame(1, [])).slice(0, -3), symbols)).toBeNull();
  });

  it('gives the same results and books as JSON.parse and step on any mix of frames, good and bad (property)', () => {
    // Mostly good levels (so most frames take the fast path), now and then one the general path refuses.
    const price = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 40 }).map((p) => (100 + p / 4).toString()), weight: 20 }, { arbitrary: fc.constantFrom('0', '-1', 'abc', '', ' 101', '1e2'), weight: 1 });
    const qty = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 5 }).map(String), weight: 20 }, { arbitrary: fc.constantFrom('-2', 'NaN', '0.5'), weight: 1 });
    const side = fc.oneof({ arbitrary: fc.constantFrom('bid', 'offer', 'ask'), weight: 20 }, { arbitrary: fc.constant('sell'), weight: 1 });
    const drop = fc.oneof({ arbitrary: fc.constant(null), weight: 40 }, { arbitrary: fc.constantFrom<'side' | 'price_level'>('side', 'price_level'), weight: 1 });
    const lv = fc.record({ side, price, qty, drop });
    const event = fc.record({ type: fc.constantFrom('snapshot', 'update', 'update', 'update', 'update', 'update', 'other'), product: fc.constantFrom('BTC-USD', 'BIP-20DEC30-CDE', 'ETH-USD'), levels: fc.array(lv, { maxLength: 4 }) });
    const msg = fc.record({
      seqStep: fc.constantFrom(1, 1, 1, 1, 0, 2, -1),
      events: fc.array(event, { minLength: 1, maxLength: 2 }),
      shape: fc.oneof({ arbitrary: fc.constant('usual'), weight: 12 }, { arbitrary: fc.constantFrom('spaced', 'heartbeat', 'noseq', 'garbage', 'extra-key'), weight: 3 }),
    });
    fc.assert(
      fc.property(fc.array(msg, { minLength: 1, maxLength: 25 }), (msgs) => {
        let seq = 0;
        const texts = msgs.map((m) => {
          seq = Math.max(0, seq + m.seqStep);
          const events = m.events.map((e) => ({
            type: e.type,
            product_id: e.product,
            updates: e.levels.map((l) => {
              const u: Record<string, string> = level(l.side, l.price, l.qty);
              if (l.drop) delete u[l.drop];
              return u;
            }),
          }));
          if (m.shape === 'heartbeat') return JSON.stringify({ channel: 'heartbeats', client_id: '', timestamp: 't', sequence_num: seq, events: [{ heartbeat_counter: '1' }] });
          if (m.shape === 'garbage') return '{"channel":"l2_data",';
          const f: Record<string, unknown> = frame(seq, events, m.shape === 'extra-key' ? { extra: 1 } : {});
          if (m.shape === 'noseq') delete f['sequence_num'];
          return m.shape === 'spaced' ? JSON.stringify(f, null, 1) : JSON.stringify(f);
        });
        agree(texts);
      }),
      { numRuns: 300 },
    );
  });
});

describe('SortedLevels view', () => {
  it('shares the top-N array between frames until a change reaches the top N, and never changes an array it gave out', () => {
    const bids = new SortedLevels(true);
    for (let i = 0; i < 10; i++) bids.set(100 - i, 1);
    const a = bids.top(3);
    bids.set(95, 7); // deeper than the top 3
    expect(bids.top(3)).toBe(a);
    bids.set(99, 2); // inside the top 3
    const b = bids.top(3);
    expect(b).not.toBe(a);
    expect(a).toEqual([{ price: 100, size: 1 }, { price: 99, size: 1 }, { price: 98, size: 1 }]);
    expect(b).toEqual([{ price: 100, size: 1 }, { price: 99, size: 2 }, { price: 98, size: 1 }]);
    bids.set(101, 1); // a new best level
    expect(bids.top(3).map((l) => l.price)).toEqual([101, 100, 99]);
    bids.set(101, 0);
    expect(bids.top(3).map((l) => l.price)).toEqual([100, 99, 98]);
    expect(bids.top(2).map((l) => l.price)).toEqual([100, 99]);
  });
});
