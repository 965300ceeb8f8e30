import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/cli/config-loader.js';
import { SimClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { Position } from '../../../src/core/types.js';
import { PortfolioMonitor, type ProtectedBook } from '../../../src/engine/portfolio-monitor.js';
import { assessLiquidationRisk } from '../../../src/risk/liquidation-risk.js';
import { Store } from '../../../src/store/store.js';

const SYMBOLS = ['ETH-PERP', 'SOL-PERP'] as const;
const instrument = (symbol: string) => ({ venue: 'sim', symbol, baseAsset: symbol.slice(0, 3), quoteAsset: 'USD', tickSize: 0.01, lotSize: 0.001, minSize: 0.001, minNotional: 10, maxLeverage: 20, makerFeeRate: 0, takerFeeRate: 0, initialMarginRatio: 0.05, maintenanceMarginRatio: 0.03, fundingIntervalMs: 3_600_000 });

describe('PortfolioMonitor on a flat book', () => {
  // One evaluation: the book flat or holding both legs, an equity drawn from a few (so it often
  // repeats, and sometimes is not positive), and now and then the venue's own margin.
  const step = fc.record({
    // Each leg's size; a bot keeps a closed leg in its map at size 0.
    sizes: fc.tuple(fc.oneof(fc.constant(0), fc.double({ min: -5, max: 5, noNaN: true })), fc.oneof(fc.constant(0), fc.double({ min: -50, max: 50, noNaN: true }))),
    keepClosed: fc.boolean(),
    equity: fc.constantFrom(10_000, 10_000, 10_000.25, 9_999.75, 50, 0, -10),
    venueMargin: fc.boolean(),
  });

  it('assesses each evaluation as assessLiquidationRisk would, flat or not, however often the equity repeats', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const store = Store.open(':memory:');
        const clock = new SimClock(Date.UTC(2026, 0, 1));
        const positions = new Map<string, Position>();
        const marks = new Map<string, number>([['ETH-PERP', 3_000], ['SOL-PERP', 150]]);
        const bot: ProtectedBook = { positionMap: () => positions, applyProtection: () => undefined };
        const config = { ...parseConfig({}).portfolio, windowBars: 30, intervalMs: 60_000 };
        const m = new PortfolioMonitor({ store, clock, logger: silentLogger, venue: 'sim', instruments: new Map(SYMBOLS.map((s) => [s, instrument(s)])), bots: [bot], mark: (s) => marks.get(s), config });
        for (const s of steps) {
          clock.advanceTo(clock.now() + 60_000);
          positions.clear();
          s.sizes.forEach((size, i) => {
            if (size !== 0 || s.keepClosed) positions.set(SYMBOLS[i]!, { symbol: SYMBOLS[i]!, size, entryPrice: marks.get(SYMBOLS[i]!)!, realizedPnl: 0 });
          });
          const account = { equity: s.equity, collateral: s.equity, freeCollateral: 0, initialMargin: 0, maintenanceMargin: 0 };
          const venueMargin = s.venueMargin ? { maintenanceMargin: 12.5, liquidationPrices: new Map<string, number | null>() } : undefined;
          const got = m.evaluate(account, venueMargin);
          // What evaluate's full path assesses: each held leg at its mark, at the fallback volatility
          // (no bars yet), or no positions at all.
          const held = [...positions.values()].filter((p) => p.size !== 0).map((p) => ({ symbol: p.symbol, size: p.size, mark: marks.get(p.symbol)!, maintenanceMarginRatio: 0.03 }));
          const volatility = Object.fromEntries(held.map((p) => [p.symbol, config.fallbackVolatility]));
          const want = s.equity > 0 ? assessLiquidationRisk({ equity: s.equity, positions: held, volatility, thresholds: config.thresholds, protection: config.protection, ...(venueMargin ? { venueMargin } : {}) }) : null;
          expect(got).toEqual(want);
          if (want !== null) expect(m.latest()).toEqual(want);
          if (held.length === 0) expect(m.metrics()).toEqual({ var1d95Usd: 0, var1d95Fraction: 0, correlationExposure: 0, dynamics: null });
        }
        store.close();
      }),
      { numRuns: 200 },
    );
  });
});
