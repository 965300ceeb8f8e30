import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyFillToPosition, emptyPosition, unrealizedPnl } from '../../../src/core/position-math.js';
import type { Position, Side } from '../../../src/core/types.js';

const pos = (size: number, entryPrice: number, realizedPnl = 0): Position => ({ symbol: 'ETH-PERP', size, entryPrice, realizedPnl });

describe('applyFillToPosition', () => {
  it.each<[string, Position, Side, number, number, number, number, number]>([
    // name, before, side, size, price, → size, entry, realised by this fill
    ['opens a long', pos(0, 0), 'buy', 2, 100, 2, 100, 0],
    ['opens a short', pos(0, 0), 'sell', 2, 100, -2, 100, 0],
    ['adds to a long at the average', pos(2, 100), 'buy', 2, 110, 4, 105, 0],
    ['adds to a short at the average', pos(-1, 100), 'sell', 3, 120, -4, 115, 0],
    ['reduces a long, realising at entry', pos(4, 100), 'sell', 1, 110, 3, 100, 10],
    ['reduces a short, realising at entry', pos(-4, 100), 'buy', 1, 90, -3, 100, 10],
    ['closes a long at a loss', pos(2, 100), 'sell', 2, 95, 0, 0, -10],
    ['closes a short at a loss', pos(-2, 100), 'buy', 2, 105, 0, 0, -10],
    ['flips long → short, remainder at fill price', pos(1, 100), 'sell', 3, 110, -2, 110, 10],
    ['flips short → long, remainder at fill price', pos(-1, 100), 'buy', 3, 110, 2, 110, -10],
  ])('%s', (_name, before, side, size, price, afterSize, afterEntry, realized) => {
    const r = applyFillToPosition(before, side, size, price);
    expect(r.position.size).toBeCloseTo(afterSize, 12);
    expect(r.position.entryPrice).toBeCloseTo(afterEntry, 9);
    expect(r.realizedPnl).toBeCloseTo(realized, 9);
    expect(r.position.realizedPnl).toBeCloseTo(before.realizedPnl + realized, 9);
    expect(r.position.symbol).toBe(before.symbol);
  });

  it('snaps float dust to an empty position with entry 0', () => {
    const r = applyFillToPosition(pos(0.3, 100), 'sell', 0.1 + 0.2, 100);
    expect(r.position.size).toBe(0);
    expect(r.position.entryPrice).toBe(0);
  });

  it('with a lot size, snaps the new size to the lot grid so float dust never accumulates', () => {
    let p = emptyPosition('ETH-PERP');
    for (let i = 0; i < 10; i++) p = applyFillToPosition(p, 'buy', 0.1, 3000, 0.001).position;
    expect(p.size).toBe(1);
    for (let i = 0; i < 10; i++) p = applyFillToPosition(p, 'sell', 0.1, 3000, 0.001).position;
    expect(p).toMatchObject({ size: 0, entryPrice: 0 });
    const dusty = applyFillToPosition(pos(0.3, 100), 'sell', 0.1, 110, 0.01).position;
    expect(dusty.size).toBe(0.2);
    expect(dusty.realizedPnl).toBeCloseTo(1, 9);
  });

  it('accumulates realised PnL across fills', () => {
    let p = emptyPosition('SOL-PERP');
    p = applyFillToPosition(p, 'buy', 10, 150).position;
    p = applyFillToPosition(p, 'sell', 5, 160).position;
    p = applyFillToPosition(p, 'sell', 5, 140).position;
    expect(p).toEqual({ symbol: 'SOL-PERP', size: 0, entryPrice: 0, realizedPnl: 0 });
  });

  it('a round trip at the same price realises nothing (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom<Side>('buy', 'sell'),
        (lots, cents, side) => {
          const size = lots / 100;
          const price = cents / 100;
          const open = applyFillToPosition(emptyPosition('X'), side, size, price).position;
          const close = applyFillToPosition(open, side === 'buy' ? 'sell' : 'buy', size, price);
          expect(close.position.size).toBe(0);
          expect(Math.abs(close.realizedPnl)).toBeLessThan(1e-6);
        },
      ),
    );
  });
});

describe('emptyPosition / unrealizedPnl', () => {
  it('emptyPosition is flat', () => {
    expect(emptyPosition('BTC-PERP')).toEqual({ symbol: 'BTC-PERP', size: 0, entryPrice: 0, realizedPnl: 0 });
  });

  it.each([
    [pos(2, 100), 110, 20],
    [pos(-2, 100), 110, -20],
    [pos(-2, 100), 90, 20],
    [pos(0, 0), 123, 0],
  ])('unrealizedPnl(%o, %s) = %s', (p, mark, expected) => {
    expect(unrealizedPnl(p, mark)).toBeCloseTo(expected, 9);
  });
});
