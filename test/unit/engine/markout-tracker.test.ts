import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Book, Fill, MarketEvent } from '../../../src/core/types.js';
import { MarketState } from '../../../src/engine/market-state.js';
import { MarkoutTracker } from '../../../src/engine/markout-tracker.js';
import type { FillMarkout } from '../../../src/store/markout-repository.js';

const fill = (ts: number, side: 'buy' | 'sell' = 'buy', tradeId = `t${ts}`): Fill => ({ tradeId, clientOrderId: 'c', venueOrderId: 'v', symbol: 'ETH-PERP', side, price: 100, size: 1, fee: 0, liquidity: 'maker', ts });

function setup() {
  const saved: FillMarkout[] = [];
  const t = new MarkoutTracker({ venue: 'replay', botId: 'b', symbols: ['ETH-PERP'], save: (m) => saved.push(m) });
  let mid = 100;
  const tick = (ts: number, m: number): void => {
    mid = m;
    t.onMarket(ts, () => mid);
  };
  return { t, saved, tick };
}

describe('MarkoutTracker', () => {
  it('records the mid prevailing 1 s, 10 s and 60 s after the fill, then saves once', () => {
    const { t, saved, tick } = setup();
    tick(0, 100);
    t.onFill(fill(0), 100);
    tick(500, 101); // before 1 s
    tick(1_000, 102); // exactly 1 s: the new mid counts
    tick(9_000, 103);
    tick(15_000, 104); // first event after 10 s: the mid prevailing at 10 s was 103
    expect(saved).toHaveLength(0);
    tick(60_000, 105);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ tradeId: 't0', midAtFill: 100, mids: [102, 103, 105], side: 'buy', botId: 'b', venue: 'replay' });
    expect(t.waiting).toBe(0);
  });

  it('on 15-second candle points, 1 s and 10 s take the fill point’s own mid', () => {
    const { t, saved, tick } = setup();
    tick(15_000, 100);
    t.onFill(fill(15_000), 100);
    tick(30_000, 99);
    tick(45_000, 98);
    tick(60_000, 97);
    tick(75_000, 96);
    tick(90_000, 95);
    expect(saved[0]!.mids).toEqual([100, 100, 96]);
  });

  it('flush writes fills whose later horizons never came, with nulls', () => {
    const { t, saved, tick } = setup();
    tick(0, 100);
    t.onFill(fill(0, 'sell', 'a'), 100);
    tick(2_000, 101);
    t.flush();
    expect(saved).toHaveLength(1);
    expect(saved[0]!.mids).toEqual([100, null, null]);
    expect(t.waiting).toBe(0);
  });
});

describe('MarkoutTracker, told which symbol changed', () => {
  it('reads only the changed symbol’s mid, none on a print, and resolves a horizon at its time', () => {
    const saved: FillMarkout[] = [];
    const t = new MarkoutTracker({ venue: 'sim', botId: 'b', symbols: ['ETH-PERP', 'BTC-PERP'], save: (m) => saved.push(m) });
    const mids: Record<string, number> = { 'ETH-PERP': 100, 'BTC-PERP': 50 };
    const read: string[] = [];
    const midOf = (s: string): number => {
      read.push(s);
      return mids[s]!;
    };
    t.onMarket(0, midOf);
    expect(read).toEqual(['ETH-PERP', 'BTC-PERP']);
    read.length = 0;
    t.onFill(fill(0), undefined);
    mids['ETH-PERP'] = 101;
    t.onMarket(500, midOf, null); // a print: ETH's new mid is not read
    expect(read).toEqual([]);
    t.onMarket(1_000, midOf, 'BTC-PERP');
    expect(read).toEqual(['BTC-PERP']);
    t.onMarket(10_000, midOf, 'ETH-PERP');
    t.onMarket(60_000, midOf, null);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ midAtFill: 100, mids: [100, 101, 101] });
    expect(t.waiting).toBe(0);
  });
});

describe('MarkoutTracker, told when a mid settles (a mark)', () => {
  const SYMBOLS = ['ETH-PERP', 'SOL-PERP', 'BTC-PERP'] as const;
  const book = (symbol: string, ts: number, bid: number | null, ask: number | null): Book => ({
    symbol, ts, seq: 0, bids: bid === null ? [] : [{ price: bid, size: 1 }], asks: ask === null ? [] : [{ price: ask, size: 1 }],
  });
  type Step =
    | { kind: 'book'; symbol: number; dt: number; bid: number | null; ask: number | null }
    | { kind: 'mark'; symbol: number; dt: number; price: number }
    | { kind: 'trade'; symbol: number; dt: number }
    | { kind: 'fill'; symbol: number; before: boolean };
  const price = fc.integer({ min: 90, max: 110 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('book' as const), symbol: fc.nat(2), dt: fc.constantFrom(0, 300, 1_000, 9_000, 30_000), bid: fc.option(price, { nil: null }), ask: fc.option(price, { nil: null }) }),
    fc.record({ kind: fc.constant('mark' as const), symbol: fc.nat(2), dt: fc.constantFrom(0, 300, 1_000, 9_000, 30_000), price }),
    fc.record({ kind: fc.constant('trade' as const), symbol: fc.nat(2), dt: fc.constantFrom(0, 500, 10_000) }),
    fc.record({ kind: fc.constant('fill' as const), symbol: fc.nat(2), before: fc.boolean() }),
  );

  /** Runs the steps as the bot does (MarketState first, then the tracker; a fill before an event or after it). */
  function run(steps: readonly Step[], lazy: boolean, passIdlePrints = false, passed = { n: 0 }): FillMarkout[] {
    const saved: FillMarkout[] = [];
    const market = new MarketState();
    const t = new MarkoutTracker({ venue: 'sim', botId: 'b', symbols: ['ETH-PERP', 'SOL-PERP'], save: (m) => saved.push(m) });
    const midOf = (s: string): number | undefined => market.mid(s);
    let ts = 0;
    let n = 0;
    const fillOf = (symbol: string): void => t.onFill({ ...fill(ts, 'buy', `f${n++}`), symbol }, market.mid(symbol));
    for (const st of steps) {
      const symbol = SYMBOLS[st.symbol]!;
      if (st.kind === 'fill') {
        fillOf(symbol);
        continue;
      }
      ts += st.dt;
      const ev: MarketEvent =
        st.kind === 'book'
          ? { kind: 'book', ts, book: book(symbol, ts, st.bid, st.ask) }
          : st.kind === 'mark'
            ? { kind: 'mark', ts, mark: { symbol, ts, markPrice: st.price, fundingRate: 0 } }
            : { kind: 'trade', ts, trade: { symbol, ts, price: 100, size: 1, aggressor: 'buy', tradeId: `p${n++}` } };
      market.apply(ev);
      // The runtime passes a print over while the tracker is idle (and nothing else acts on it).
      if (passIdlePrints && ev.kind === 'trade' && t.idle) {
        passed.n++;
        continue;
      }
      const changed = ev.kind === 'book' ? ev.book.symbol : ev.kind === 'mark' ? ev.mark.symbol : null;
      t.onMarket(ts, midOf, changed, lazy && ev.kind === 'mark');
    }
    t.flush();
    return saved;
  }

  it('saves the same markouts as reading every mid on every event (property, with the real MarketState)', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
        expect(run(steps, true)).toEqual(run(steps, false));
      }),
      { numRuns: 400 },
    );
  });

  it('saves the same markouts when the prints that reach it while idle are passed over (property; fills stamped at the latest event, as the paper venue does)', () => {
    // Long enough stretches without fills for the tracker to go idle, and prints at a fill's own time.
    const dt = fc.constantFrom(0, 0, 300, 1_000, 9_000, 30_000, 61_000);
    const quieter: fc.Arbitrary<Step> = fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('book' as const), symbol: fc.nat(2), dt, bid: fc.option(price, { nil: null, freq: 8 }), ask: fc.option(price, { nil: null, freq: 8 }) }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('mark' as const), symbol: fc.nat(2), dt, price }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('trade' as const), symbol: fc.nat(2), dt }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('fill' as const), symbol: fc.nat(2), before: fc.boolean() }) },
    );
    const passed = { n: 0 };
    fc.assert(
      fc.property(fc.array(quieter, { minLength: 40, maxLength: 150 }), (steps) => {
        expect(run(steps, true, true, passed)).toEqual(run(steps, true));
      }),
      { numRuns: 400 },
    );
    expect(passed.n).toBeGreaterThan(100);
  });

  it('with every mid settled and no fill waiting, a mid that moves is still read at the next fill', () => {
    const trade = (dt: number): Step => ({ kind: 'trade', symbol: 0, dt });
    const steps: Step[] = [
      { kind: 'mark', symbol: 0, dt: 0, price: 100 },
      { kind: 'mark', symbol: 1, dt: 0, price: 100 },
      { kind: 'book', symbol: 1, dt: 300, bid: 99, ask: 101 },
      { kind: 'fill', symbol: 0, before: false },
      // The ETH fill's horizons pass on prints (no mid moves): no fill waits after the last.
      ...[1, 2, 3, 4, 5, 6, 7].map(() => trade(10_000)),
      // SOL's mid moves while nothing waits; then SOL fills and its 1 s horizon passes on a print.
      { kind: 'book', symbol: 1, dt: 300, bid: 104, ask: 106 },
      { kind: 'fill', symbol: 1, before: false },
      trade(10_000),
    ];
    const lazy = run(steps, true);
    expect(lazy).toEqual(run(steps, false));
    expect(lazy[1]).toMatchObject({ symbol: 'SOL-PERP', midAtFill: 105, mids: [105, 105, null] });
  });

  it('reads a symbol never marked on every event: its mid can fall back to undefined (a book without a touch)', () => {
    const steps: Step[] = [
      // The other followed symbol is marked (settled): ETH is not, so its reads are never put off.
      { kind: 'mark', symbol: 1, dt: 0, price: 100 },
      { kind: 'book', symbol: 0, dt: 0, bid: 99, ask: 101 },
      { kind: 'book', symbol: 0, dt: 300, bid: 100, ask: 102 },
      { kind: 'book', symbol: 0, dt: 300, bid: 100, ask: null },
      { kind: 'fill', symbol: 0, before: false },
      { kind: 'trade', symbol: 0, dt: 70_000 },
    ];
    const lazy = run(steps, true);
    expect(lazy).toEqual(run(steps, false));
    expect(lazy[0]).toMatchObject({ midAtFill: 101 });
  });

  it('puts a settled symbol’s mid reads off while no fill waits, and reads it at the next fill', () => {
    const saved: FillMarkout[] = [];
    const t = new MarkoutTracker({ venue: 'sim', botId: 'b', symbols: ['ETH-PERP'], save: (m) => saved.push(m) });
    let mid = 100;
    let reads = 0;
    const midOf = (): number => {
      reads++;
      return mid;
    };
    t.onMarket(0, midOf, 'ETH-PERP', true);
    mid = 101;
    t.onMarket(1, midOf, 'ETH-PERP');
    expect(reads).toBe(0);
    t.onFill(fill(1), undefined); // no mid given: the one put off is read now
    expect(reads).toBe(1);
    mid = 102;
    t.onMarket(1_001, midOf, 'ETH-PERP'); // a fill waits: read at once
    expect(reads).toBe(2);
    t.flush();
    expect(saved[0]).toMatchObject({ midAtFill: 101, mids: [102, null, null] });
  });
});
