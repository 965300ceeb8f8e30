import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src/core/types.js';
import { exitWasCrossing } from '../../../src/engine/pair-resume.js';

const order = (symbol: string, tif: Order['tif'], createdTs: number, purpose: Order['purpose'] = 'exit'): Order => ({
  clientOrderId: `${symbol}-${createdTs}-${tif}`, symbol, side: 'sell', type: 'limit', tif, price: 100, size: 1, reduceOnly: true,
  botId: 'b', purpose, pairId: 'p', status: 'filled', venue: 'sim', venueOrderId: null, filledSize: 1, avgFillPrice: 100,
  feesPaid: 0, rejectReason: null, sizingTrace: [], createdTs, updatedTs: createdTs,
});

describe('exitWasCrossing: how an exit cut by a restart resumes', () => {
  it('post-only slices only: it had not crossed', () => {
    expect(exitWasCrossing([order('ETH', 'POST_ONLY', 1), order('SOL', 'POST_ONLY', 1)])).toBe(false);
  });

  it('a lone IOC on one leg hedging a post-only fill does not make the exit a crossing one', () => {
    // Volume mode hedges a fill at once: post-only slices on both legs, one fills, the other crosses.
    const orders = [order('ETH', 'POST_ONLY', 1), order('SOL', 'POST_ONLY', 1), order('SOL', 'IOC', 5), order('ETH', 'POST_ONLY', 9), order('SOL', 'POST_ONLY', 9), order('ETH', 'IOC', 12)];
    expect(exitWasCrossing(orders)).toBe(false);
  });

  it('IOC exit orders on both legs sent together: the exit was crossing', () => {
    expect(exitWasCrossing([order('ETH', 'POST_ONLY', 1), order('SOL', 'POST_ONLY', 1), order('ETH', 'IOC', 40), order('SOL', 'IOC', 40)])).toBe(true);
  });

  it('taker orders of another purpose do not count', () => {
    expect(exitWasCrossing([order('ETH', 'IOC', 3, 'entry'), order('SOL', 'IOC', 3, 'entry')])).toBe(false);
  });
});
