import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { SimClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import { RiskAdjuster } from '../../../src/engine/risk-adjuster.js';
import { DEFAULT_RISK_MULTIPLIER_CONFIG } from '../../../src/sizing/risk-multiplier.js';
import { Store } from '../../../src/store/store.js';

const HOUR = 3_600_000;
const SIGNAL = { signalStrength: 0.8, confidence: 0.9 };

function storeWithRecalcAt(ts: number): Store {
  const store = Store.open(':memory:');
  store.bots.ensure('b1', 'dn-pair', 'sim', 0);
  store.riskAdjustments.record({ botId: 'b1', ts, previousMultiplier: 1, multiplier: 1.2, signalStrength: 0.5, confidence: 0.5, avgPnlLast50: null, tradesInWindow: 0, trigger: 'first', inputs: {} });
  return store;
}

describe('RiskAdjuster', () => {
  it('starts on a market clock behind its last recalculation without failing, and counts the hour from there', () => {
    const store = storeWithRecalcAt(1_000_000);
    const clock = new SimClock(1_000_000 - 29_000);
    const adj = new RiskAdjuster({ botId: 'b1', store, clock, logger: silentLogger, config: DEFAULT_RISK_MULTIPLIER_CONFIG });
    expect(adj.maybeRecalculate(SIGNAL)).toBe(false);
    expect(adj.current()).toBe(1.2);
    clock.advanceTo(1_000_000 - 29_000 + HOUR - 1);
    expect(adj.maybeRecalculate(SIGNAL)).toBe(false);
    clock.advanceTo(1_000_000 - 29_000 + HOUR);
    expect(adj.maybeRecalculate(SIGNAL)).toBe(true);
    store.close();
  });

  it('recalculates an hour after the stored recalculation when the clock moves forward', () => {
    const store = storeWithRecalcAt(1_000_000);
    const clock = new SimClock(1_000_000 + HOUR);
    const adj = new RiskAdjuster({ botId: 'b1', store, clock, logger: silentLogger, config: DEFAULT_RISK_MULTIPLIER_CONFIG });
    expect(adj.maybeRecalculate(SIGNAL)).toBe(true);
    store.close();
  });

  it('due(now) says beforehand whether maybeRecalculate acts: recalculates, or restarts an hour stored ahead of the clock (property)', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 2 * HOUR }) }),
      fc.constant({ kind: 'closed' as const }),
      fc.constant({ kind: 'ask' as const }),
    );
    let acted = 0;
    fc.assert(
      fc.property(fc.option(fc.integer({ min: -3 * HOUR, max: 3 * HOUR }), { nil: null }), fc.array(step, { maxLength: 30 }), (storedAgo, steps) => {
        const start = 10 * HOUR;
        const store = storedAgo === null ? Store.open(':memory:') : storeWithRecalcAt(start - storedAgo);
        const clock = new SimClock(start);
        const logger = { ...silentLogger, warn: vi.fn() };
        const adj = new RiskAdjuster({ botId: 'b1', store, clock, logger, config: DEFAULT_RISK_MULTIPLIER_CONFIG });
        for (const s of steps) {
          if (s.kind === 'advance') clock.advanceTo(clock.now() + s.ms);
          else if (s.kind === 'closed') adj.onRoundTripClosed();
          else {
            const due = adj.due(clock.now());
            const warned = logger.warn.mock.calls.length;
            const did = adj.maybeRecalculate(SIGNAL) || logger.warn.mock.calls.length > warned;
            expect(did).toBe(due);
            if (did) acted++;
          }
        }
        store.close();
      }),
    );
    expect(acted).toBeGreaterThan(0);
  });
});
