import { describe, expect, it } from 'vitest';
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
});
