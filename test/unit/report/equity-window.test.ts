import { describe, expect, it } from 'vitest';
import { equityWindow, SERIES_DEFAULT_WINDOW_MS } from '../../../src/report/equity-series.js';
import { Store } from '../../../src/store/store.js';

const MIN = 60_000;

function storeWith(minutes: number): Store {
  const store = Store.open(':memory:');
  store.transaction(() => {
    for (let i = 0; i < minutes; i++) store.snapshots.saveEquity({ botId: 'b', ts: i * MIN, equity: 1000 + i, collateral: 1000, netDelta: i % 7, grossNotional: 10 });
  });
  return store;
}

describe('equityWindow (/series)', () => {
  it('without from: the week before the latest snapshot, every row when they fit in the points', () => {
    const store = storeWith(8 * 1440);
    const w = equityWindow(store, 'b', { maxPoints: 20_000 });
    const last = (8 * 1440 - 1) * MIN;
    expect(w.to).toBe(last);
    expect(w.from).toBe(last - SERIES_DEFAULT_WINDOW_MS);
    expect(w.ts[0]).toBe(last - SERIES_DEFAULT_WINDOW_MS);
    expect(w.ts.at(-1)).toBe(last);
    expect(w.total).toBe(7 * 1440 + 1);
    expect(w.sampled).toBe(false);
    // PnL stays against the first snapshot ever, outside the window.
    expect(w.baseEquity).toBe(1000);
    expect(w.pnl.at(-1)).toBe(8 * 1440 - 1);
    store.close();
  });

  it('a window with more rows than points: sampled evenly in time, first and last kept, at most the points', () => {
    const store = storeWith(3 * 1440);
    const w = equityWindow(store, 'b', { from: 0, maxPoints: 100 });
    expect(w.sampled).toBe(true);
    expect(w.total).toBeNull();
    expect(w.ts.length).toBeLessThanOrEqual(100);
    expect(w.ts.length).toBeGreaterThan(90);
    expect(w.ts[0]).toBe(0);
    expect(w.ts.at(-1)).toBe((3 * 1440 - 1) * MIN);
    for (let i = 1; i < w.ts.length; i++) expect(w.ts[i]!).toBeGreaterThan(w.ts[i - 1]!);
    // Each point is a real snapshot's row.
    for (let i = 0; i < w.ts.length; i++) expect(w.equity[i]).toBe(1000 + w.ts[i]! / MIN);
    store.close();
  });

  it('no snapshot: empty columns', () => {
    const store = Store.open(':memory:');
    const w = equityWindow(store, 'b', { maxPoints: 10 });
    expect(w.ts).toEqual([]);
    expect(w.baseEquity).toBeNull();
    store.close();
  });
});
