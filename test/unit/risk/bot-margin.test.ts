import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { botMargin } from '../../../src/risk/bot-margin.js';
import type { MarginPosition } from '../../../src/risk/liquidation-margin.js';

const pos = (symbol: string, size: number, mark: number, mmr = 0.05): MarginPosition => ({ symbol, size, mark, maintenanceMarginRatio: mmr });

describe('botMargin', () => {
  it.each([
    // equity, positions, allowed → gross, leverage, share, maintenance margin
    { name: 'flat', equity: 10_000, positions: [], allowed: 3, gross: 0, leverage: 0, share: 0, mm: 0 },
    { name: 'a hedged pair', equity: 10_000, positions: [pos('ETH-PERP', 1, 3_000), pos('SOL-PERP', -20, 150)], allowed: 3, gross: 6_000, leverage: 0.6, share: 0.2, mm: 300 },
    { name: 'at the cap', equity: 1_000, positions: [pos('ETH-PERP', 1, 2_000, 0.03), pos('SOL-PERP', -10, 100, 0.03)], allowed: 3, gross: 3_000, leverage: 3, share: 1, mm: 90 },
    { name: 'no equity', equity: 0, positions: [pos('ETH-PERP', 1, 2_000)], allowed: 3, gross: 2_000, leverage: null, share: null, mm: 100 },
  ])('$name: gross, leverage used and its share of the cap, maintenance margin', ({ equity, positions, allowed, gross, leverage, share, mm }) => {
    const m = botMargin({ equity, positions, allowedLeverage: allowed });
    expect(m.grossNotionalUsd).toBeCloseTo(gross, 9);
    if (leverage === null) expect(m.leverage).toBeNull();
    else expect(m.leverage).toBeCloseTo(leverage, 12);
    if (share === null) expect(m.leverageShare).toBeNull();
    else expect(m.leverageShare).toBeCloseTo(share, 12);
    expect(m.maintenanceMarginUsd).toBeCloseTo(mm, 9);
    expect(m.allowedLeverage).toBe(allowed);
  });

  it('a single long liquidates where equity meets maintenance margin', () => {
    // E = 1,000, long 1 @ 2,000, r = 5%: p* = (2,000 − 1,000) / 0.95.
    const m = botMargin({ equity: 1_000, positions: [pos('ETH-PERP', 1, 2_000)], allowedLeverage: 3 });
    expect(m.liquidation).toHaveLength(1);
    expect(m.liquidation[0]!.price).toBeCloseTo(1_000 / 0.95, 9);
    expect(m.liquidation[0]!.direction).toBe('down');
  });

  it('gives no liquidation price without equity', () => {
    expect(botMargin({ equity: -5, positions: [pos('ETH-PERP', 1, 2_000)], allowedLeverage: 3 }).liquidation).toEqual([]);
  });

  it('leverage is gross over equity, and every liquidation price lies on the adverse side of its mark', () => {
    const position = fc.record({ size: fc.double({ min: -50, max: 50, noNaN: true }).filter((s) => Math.abs(s) > 1e-6), mark: fc.double({ min: 1, max: 5_000, noNaN: true }) });
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e6, noNaN: true }), fc.array(position, { maxLength: 4 }), (equity, ps) => {
        const positions = ps.map((p, k) => pos(`S${k}`, p.size, p.mark));
        const m = botMargin({ equity, positions, allowedLeverage: 3 });
        expect(m.leverage).toBeCloseTo(m.grossNotionalUsd / equity, 9);
        m.liquidation.forEach((l, k) => {
          if (l.status !== 'at_risk') return;
          const p = positions[k]!;
          if (p.size > 0) expect(l.price!).toBeLessThan(p.mark);
          else expect(l.price!).toBeGreaterThan(p.mark);
        });
      }),
    );
  });
});
