import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/cli/config-loader.js';
import { SimClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { Position } from '../../../src/core/types.js';
import { PortfolioMonitor, type ProtectedBook } from '../../../src/engine/portfolio-monitor.js';
import { Store } from '../../../src/store/store.js';

const SYMBOLS = ['ETH-PERP', 'SOL-PERP', 'BTC-PERP'] as const;
const instrument = (symbol: string) => ({ venue: 'sim', symbol, baseAsset: symbol.slice(0, 3), quoteAsset: 'USD', tickSize: 0.01, lotSize: 0.001, minSize: 0.001, minNotional: 10, maxLeverage: 20, makerFeeRate: 0, takerFeeRate: 0, initialMarginRatio: 0.05, maintenanceMarginRatio: 0.03, fundingIntervalMs: 3_600_000 });

/** A monitor over a 30-bar window, its bot's positions and the marks it reads, set by the test. */
function monitor(): { m: PortfolioMonitor; positions: Map<string, Position>; marks: Map<string, number>; clock: SimClock; store: Store } {
  const store = Store.open(':memory:');
  const clock = new SimClock(Date.UTC(2026, 0, 1));
  const positions = new Map<string, Position>();
  const marks = new Map<string, number>();
  const bot: ProtectedBook = { positionMap: () => positions, applyProtection: () => undefined };
  const config = { ...parseConfig({}).portfolio, windowBars: 30, intervalMs: 60_000 };
  const m = new PortfolioMonitor({ store, clock, logger: silentLogger, venue: 'sim', instruments: new Map(SYMBOLS.map((s) => [s, instrument(s)])), bots: [bot], mark: (s) => marks.get(s), config });
  return { m, positions, marks, clock, store };
}

describe('PortfolioMonitor metrics worked out when first read', () => {
  // One minute: each symbol's close moves by a small factor, positions may change, then an evaluation.
  const minute = fc.record({
    moves: fc.tuple(...SYMBOLS.map(() => fc.double({ min: 0.97, max: 1.03, noNaN: true }))),
    sizes: fc.option(fc.tuple(...SYMBOLS.map(() => fc.oneof(fc.constant(0), fc.double({ min: -50, max: 50, noNaN: true })))), { nil: undefined }),
    readLate: fc.boolean(),
  });

  it('are the figures the evaluation would have made at once, however many bars came in between', () => {
    let figured = 0;
    fc.assert(
      fc.property(fc.array(minute, { minLength: 35, maxLength: 90 }), (minutes) => {
        const now = monitor();
        const late = monitor();
        const prices: number[] = [3_000, 150, 60_000];
        let want = now.m.metrics();
        for (const step of minutes) {
          step.moves.forEach((f, i) => (prices[i] = prices[i]! * f));
          for (const t of [now, late]) {
            t.clock.advanceTo(t.clock.now() + 60_000);
            SYMBOLS.forEach((s, i) => t.marks.set(s, prices[i]!));
            t.m.onBar(new Map(SYMBOLS.map((s, i) => [s, prices[i]!])));
            if (step.sizes) {
              t.positions.clear();
              step.sizes.forEach((size, i) => {
                if (size !== 0) t.positions.set(SYMBOLS[i]!, { symbol: SYMBOLS[i]!, size, entryPrice: prices[i]!, realizedPnl: 0 });
              });
            }
          }
          const account = { equity: 100_000, collateral: 100_000, freeCollateral: 0, initialMargin: 0, maintenanceMargin: 0 };
          now.m.maybeEvaluate(account);
          late.m.maybeEvaluate(account);
          // Read at once: what evaluating used to store.
          want = now.m.metrics();
          // Read only now and then: after later bars moved (and compacted) the windows it used.
          if (step.readLate) {
            const got = late.m.metrics();
            if (got.var1d95Usd !== null && got.var1d95Usd !== 0) figured++;
            expect(got).toEqual(want);
          }
        }
        expect(late.m.metrics()).toEqual(want);
        now.store.close();
        late.store.close();
      }),
      { numRuns: 60 },
    );
    // Most late reads were of real figures (a full window, positions held), not the empty book's zeros.
    expect(figured).toBeGreaterThan(100);
  });
});
