import { describe, expect, it } from 'vitest';
import type { Fill } from '../../../src/core/types.js';
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
