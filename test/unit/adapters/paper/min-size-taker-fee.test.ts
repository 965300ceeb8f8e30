import { describe, expect, it } from 'vitest';
import { NADO_ENTRY_FEES, nadoFeeRates } from '../../../../adapters/nado/nado-instruments.js';
import { ETH, T0, book, feed, harness, req, submit } from './paper-fixtures.js';

const NADO_ETH = { ...ETH, venue: 'nado', minSize: 0.1, lotSize: 0.01, takerFeeRate: NADO_ENTRY_FEES.taker, makerFeeRate: NADO_ENTRY_FEES.maker };

describe('Nado fees in paper', () => {
  it('defaults to the entry tier (3.5 bp taker, 1 bp maker) when the market carries no rates; a market rate stands', () => {
    expect(nadoFeeRates({})).toEqual({ takerFeeRate: 0.00035, makerFeeRate: 0.0001 });
    expect(nadoFeeRates({ maker: 0, taker: 0.0003 })).toEqual({ takerFeeRate: 0.0003, makerFeeRate: 0 });
  });

  it.each([
    ['nado: a taker of 0.03 below the 0.1 minimum pays minSize × price × rate', 'nado', 0.03, 100 * 0.1 * 0.00035],
    ['nado: a taker of the minimum or more pays on its size', 'nado', 0.2, 100 * 0.2 * 0.00035],
    ['another venue: a small taker pays on its size', 'paper', 0.03, 100 * 0.03 * 0.00035],
  ])('%s', async (_n, venue, askSize, wantFee) => {
    const h = harness({ instruments: [{ ...NADO_ETH, venue }] });
    feed(h, book(T0 + 10, [[99, 5]], [[100, askSize], [101, 5]]));
    await submit(h, req({ side: 'buy', size: 0.5, price: 100, tif: 'IOC' }));
    const fees = h.fills.reduce((s, f) => s + f.fee, 0);
    expect(h.fills.reduce((s, f) => s + f.size, 0)).toBeCloseTo(askSize, 12);
    expect(fees).toBeCloseTo(wantFee, 12);
  });
});
