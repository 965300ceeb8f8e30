import { describe, expect, it } from 'vitest';
import { gridScale } from '../../../../adapters/sim/grid-scale.js';
import { simMarketConfigSchema } from '../../../../adapters/sim/sim-config.js';
import { SimMarket } from '../../../../adapters/sim/sim-market.js';
import { isOptimised, optimisedCall, sameHiddenClass } from '../../../support/hidden-class.js';

/**
 * The event generator's per-event code reads objects of one hidden class however its config was
 * built and whatever else the process has run, so the pipeline bench's later days (and a sweep
 * in one process) run the code its first day optimised.
 */
describe('the simulated market keeps its per-event objects to hidden classes of its own', () => {
  it('a grid scale does not share the class of a three-field literal whose first field is step', () => {
    // The sizing trace writes `{ step: 'volatility', factor, reason }`: had the scale that class,
    // the first such name stored would make its step a tagged field.
    expect(sameHiddenClass(gridScale(0.01), { step: 0.01, inv: 100, decimals: 2 })).toBe(false);
    expect(sameHiddenClass(gridScale(0.01), gridScale(0.5))).toBe(true);
  });

  it('a market from a config parsed again keeps its trades on the code the first market optimised', () => {
    const first = simMarketConfigSchema.parse({});
    let later = first;
    for (let i = 0; i < 5; i++) later = simMarketConfigSchema.parse({});
    // Why this matters: zod builds a later parse's symbols under another class than the first's.
    expect(sameHiddenClass(later.symbols['ETH-PERP'], first.symbols['ETH-PERP'])).toBe(false);

    const endTs = first.startTs + 3_600_000;
    const a = new SimMarket({ config: first, seed: 1, endTs });
    const b = new SimMarket({ config: later, seed: 2, endTs });
    type Trade = (s: unknown) => unknown;
    const trade = (SimMarket.prototype as unknown as { trade: Trade }).trade;
    const sims = (m: SimMarket): readonly unknown[] => (m as unknown as { sims: readonly unknown[] }).sims;
    // Feedback from a hundred prints of each of the first market's symbols, then optimised.
    const prints = (m: SimMarket): void => {
      for (let i = 0; i < 100; i++) for (const s of sims(m)) trade.call(m, s);
    };
    optimisedCall(trade, () => prints(a));
    expect(isOptimised(trade)).toBe(true);
    prints(b);
    expect(isOptimised(trade)).toBe(true);
  });
});
