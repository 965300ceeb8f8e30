import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Position } from '../../../src/core/types.js';
import { addExposure, grossExposure, pairReturn } from '../../../src/engine/position-exposure.js';

const pos = (symbol: string, size: number, entryPrice: number): Position => ({ symbol, size, entryPrice, realizedPnl: 0 });

describe('position exposure', () => {
  it('sums net delta and gross notional at marks, an unmarked leg at its entry price, into the accumulator', () => {
    const positions = new Map([
      ['ETH-PERP', pos('ETH-PERP', 0.5, 2_000)],
      ['SOL-PERP', pos('SOL-PERP', -10, 40)],
    ]);
    const marks: Record<string, number> = { 'ETH-PERP': 2_100 };
    const acc = { net: 5, gross: 7 };
    addExposure(positions, (s) => marks[s], acc);
    // ETH at its mark: +1,050; SOL unmarked, at entry: −400.
    expect(acc).toEqual({ net: 5 + 650, gross: 7 + 1_450 });
    expect(grossExposure(positions, (s) => marks[s])).toBe(1_450);
  });

  it('gross notional alone equals what addExposure adds, bit for bit', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 1, max: 5_000, noNaN: true }), fc.option(fc.double({ min: 1, max: 5_000, noNaN: true }))), { maxLength: 5 }), (legs) => {
        const positions = new Map(legs.map(([size, entry], i) => [`S${i}`, pos(`S${i}`, size, entry)] as const));
        const mark = (s: string): number | undefined => legs[Number(s.slice(1))]?.[2] ?? undefined;
        const acc = { net: 0, gross: 0 };
        addExposure(positions, mark, acc);
        expect(Object.is(grossExposure(positions, mark), acc.gross)).toBe(true);
      }),
    );
  });

  it("a pair's return is both legs' unrealised PnL over its target notional; a leg without a mark or position counts nothing", () => {
    const positions = new Map([
      ['ETH-PERP', pos('ETH-PERP', 1, 2_000)],
      ['SOL-PERP', pos('SOL-PERP', -50, 40)],
    ]);
    const marks: Record<string, number> = { 'ETH-PERP': 2_020, 'SOL-PERP': 40.2 };
    // Long ETH +20, short SOL −10: +10 on $2,000.
    expect(pairReturn(positions, (s) => marks[s], 'ETH-PERP', 'SOL-PERP', 2_000)).toBeCloseTo(0.005, 12);
    expect(pairReturn(positions, (s) => (s === 'SOL-PERP' ? undefined : marks[s]), 'ETH-PERP', 'SOL-PERP', 2_000)).toBeCloseTo(0.01, 12);
    expect(pairReturn(positions, (s) => marks[s], 'ETH-PERP', 'BTC-PERP', 2_000)).toBeCloseTo(0.01, 12);
    expect(pairReturn(positions, (s) => marks[s], 'ETH-PERP', 'SOL-PERP', 0)).toBe(0);
  });
});
