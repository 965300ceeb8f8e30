import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src/core/types.js';
import { hedgeRatioSizing } from '../../../src/engine/hedge-ratio-sizing.js';

const inst = (symbol: string, lotSize: number, minSize: number): Instrument => ({
  venue: 'paper', symbol, baseAsset: symbol.split('-')[0]!, quoteAsset: 'USD', tickSize: 0.01, lotSize, minSize, minNotional: 0, maxLeverage: 20, makerFeeRate: 0, takerFeeRate: 0,
  initialMarginRatio: 0.05, maintenanceMarginRatio: 0.03, fundingIntervalMs: 3_600_000,
});
const eth = inst('ETH-PERP', 0.001, 0.01);
const sol = inst('SOL-PERP', 0.1, 0.1);
const sized = { notional: 1_000, long: { size: 0.5, trace: [] }, short: { size: 25, trace: [] } };

describe('hedgeRatioSizing', () => {
  it('returns the sizing itself at h = 1', () => {
    expect(hedgeRatioSizing(sized, 1, eth, sol)).toBe(sized);
  });

  it.each([
    // h, long size, short size: the leg shrunk (rounded down to its lot), the other kept
    [1.25, 0.4, 25],
    [0.8, 0.5, 20],
    [0.333, 0.5, 8.3],
  ])('h = %s → long %s, short %s, the shrunk leg traced', (h, long, short) => {
    const out = hedgeRatioSizing(sized, h, eth, sol)!;
    expect(out.long.size).toBeCloseTo(long, 12);
    expect(out.short.size).toBeCloseTo(short, 12);
    expect(out.notional).toBe(1_000);
    const shrunk = h > 1 ? out.long : out.short;
    expect(shrunk.trace.at(-1)).toMatchObject({ step: 'hedge_ratio', output: shrunk.size });
  });

  it('is null when the shrunk leg falls below its minimum', () => {
    expect(hedgeRatioSizing(sized, 0.001, eth, sol)).toBeNull();
    expect(hedgeRatioSizing(sized, 60, eth, sol)).toBeNull();
  });
});
