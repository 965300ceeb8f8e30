import { describe, expect, it } from 'vitest';
import type { MarkoutRecord } from '../../../src/metrics/execution-records.js';
import { adverseSelectionBps, realisedSpreadCaptureBps, spreadCaptureAtFillBps } from '../../../src/metrics/markouts.js';

const m = (side: 'buy' | 'sell', price: number, size: number, midAtFill: number | null, mids: [number | null, number | null, number | null]): MarkoutRecord => ({ ts: 0, side, price, size, midAtFill, mids });

describe('markouts', () => {
  it('adverse selection is the mid move against the fill side, bps, notional-weighted', () => {
    // Buy at 99.9 with mid 100; 60 s later mid 99 → moved 100 bps against the buy.
    // Sell at 100.1 with mid 100; 60 s later mid 100.5 → 50 bps against the sell.
    const rows = [m('buy', 99.9, 1, 100, [100, 99.5, 99]), m('sell', 100.1, 1, 100, [100, 100, 100.5])];
    const w1 = 99.9;
    const w2 = 100.1;
    expect(adverseSelectionBps(rows, 2)).toBeCloseTo((100 * w1 + 50 * w2) / (w1 + w2), 9);
    expect(adverseSelectionBps(rows, 0)).toBeCloseTo(0, 12);
    expect(adverseSelectionBps(rows, 1)).toBeCloseTo((50 * w1) / (w1 + w2), 9);
  });

  it('a move in the fill side’s favour is negative adverse selection', () => {
    expect(adverseSelectionBps([m('buy', 100, 1, 100, [null, null, 101])], 2)).toBeCloseTo(-100, 9);
  });

  it('leaves out fills without both mids and is null with none left', () => {
    expect(adverseSelectionBps([m('buy', 100, 1, null, [100, 100, 100]), m('sell', 100, 1, 100, [null, null, null])], 0)).toBeNull();
  });

  it('spread capture at the fill and realised capture 60 s later', () => {
    // Buy at 99.9 under a mid of 100: captured 10 bps of the mid. Mid at 60 s is 99.8: realised (99.8 − 99.9)/99.9.
    const rows = [m('buy', 99.9, 1, 100, [null, null, 99.8])];
    expect(spreadCaptureAtFillBps(rows)).toBeCloseTo(10, 9);
    expect(realisedSpreadCaptureBps(rows, 2)).toBeCloseTo(((99.8 - 99.9) / 99.9) * 1e4, 9);
    // A sell above the mid captures too; a taker buy above the mid pays.
    expect(spreadCaptureAtFillBps([m('sell', 100.2, 1, 100, [null, null, null])])).toBeCloseTo(20, 9);
    expect(spreadCaptureAtFillBps([m('buy', 100.05, 1, 100, [null, null, null])])).toBeCloseTo(-5, 9);
    expect(realisedSpreadCaptureBps([m('buy', 100, 1, 100, [null, null, null])], 2)).toBeNull();
  });
});
