import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../src/core/types.js';
import { isDriftOrder } from '../../../src/engine/drift-rebalancer.js';
import { lotInstrument, openPairExecutor } from '../../support/pair-fixture.js';

const T = Date.UTC(2024, 2, 1);
const instrument = (symbol: string, lot: number): Instrument => ({ ...lotInstrument(symbol, lot, 10), makerFeeRate: 0.0002, takerFeeRate: 0.0005 });

/** An open $3,000 pair, ETH long and SOL short, with `solShort` SOL held; the drift rebalancer on at 1%. */
function setup(solShort: number) {
  return openPairExecutor({
    ts: T,
    targetNotional: 3_000,
    ethLong: 1,
    solShort,
    quotes: [
      { symbol: 'ETH-PERP', bid: 2999.99, ask: 3000.01, size: 1e6 },
      { symbol: 'SOL-PERP', bid: 149.99, ask: 150.01, size: 1e6 },
    ],
    instruments: new Map([['ETH-PERP', instrument('ETH-PERP', 0.001)], ['SOL-PERP', instrument('SOL-PERP', 0.01)]]),
    config: { entryTimeoutMs: 30_000, exitTimeoutMs: 30_000, maxSlippageBps: 10, maxRequotes: 2, imbalanceTolerance: 0.1, sliceUsd: 100, nakedMaxUsd: 100, nakedMaxMs: 10_000, driftShare: 0.01, driftRestMs: 30_000 },
  });
}

describe('PairExecutor.tick on an open pair with nothing working', () => {
  it('past the tolerance, the IOC trim goes out and the drift rebalancer sees it working: no post-only order on top', () => {
    const s = setup(16); // $3,000 long against $2,400 short: $600 off, past the $300 band and the 1% drift
    s.executor.tick();
    expect(s.orders.sent.length).toBeGreaterThan(0);
    expect(s.orders.sent.every((o) => o.tif === 'IOC' && o.purpose === 'hedge' && !isDriftOrder(o))).toBe(true);
  });

  it('inside the tolerance but past the drift band, the drift rebalancer posts one order from the same reading', () => {
    const s = setup(19.4); // $90 off on $5,910 gross: 1.5%
    s.executor.tick();
    expect(s.orders.sent).toHaveLength(1);
    expect(isDriftOrder(s.orders.sent[0]!)).toBe(true);
    s.executor.tick(); // resting, fresh and at the touch: nothing more
    expect(s.orders.sent).toHaveLength(1);
  });
});
