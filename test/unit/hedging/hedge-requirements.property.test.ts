import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isOnGrid } from '../../../src/core/tick-rounding.js';
import { emergencyHedge } from '../../../src/hedging/emergency-hedge.js';
import { depthSizeWithinSlippage, takenLevels, type BookSides } from '../../../src/hedging/hedge-liquidity.js';
import type { HedgeCandidate, HedgeTrade } from '../../../src/hedging/hedge-plan.js';
import { hedgeRequirements } from '../../../src/hedging/hedge-requirements.js';
import { portfolioDelta, type DeltaPosition } from '../../../src/hedging/portfolio-delta.js';

interface Market {
  readonly symbol: string;
  readonly mark: number;
  readonly lot: number;
  readonly beta: number;
  readonly lots: number;
  readonly minNotionalShare: number;
  readonly depthLots: number | null;
}

const market = (symbol: string, markMin: number, markMax: number, lots: number[], withBook: boolean): fc.Arbitrary<Market> =>
  fc.record({
    symbol: fc.constant(symbol),
    mark: fc.double({ min: markMin, max: markMax, noNaN: true }),
    lot: fc.constantFrom(...lots),
    beta: fc.double({ min: 0.5, max: 2, noNaN: true }),
    lots: fc.integer({ min: -5_000, max: 5_000 }),
    minNotionalShare: fc.double({ min: 0, max: 1, noNaN: true }),
    depthLots: withBook ? fc.option(fc.integer({ min: 0, max: 3_000 }), { nil: null }) : fc.constant(null),
  });

/** ETH and SOL are held and may carry thin books; BTC is a flat, bookless hedge market (so a hedge is always possible). */
const scenario = fc.record({
  markets: fc.tuple(market('ETH-PERP', 100, 5_000, [0.001, 0.01], true), market('SOL-PERP', 5, 300, [0.01, 0.1], true), market('BTC-PERP', 10_000, 100_000, [0.0001, 0.001], false)),
  other: fc.record({ size: fc.double({ min: -1e5, max: 1e5, noNaN: true }), mark: fc.double({ min: 0.01, max: 10, noNaN: true }), beta: fc.double({ min: 0.5, max: 2, noNaN: true }) }),
  betaAdjusted: fc.boolean(),
  bandFactor: fc.double({ min: 1, max: 50, noNaN: true }),
  target: fc.double({ min: -5_000, max: 5_000, noNaN: true }),
  maxTrades: fc.integer({ min: 1, max: 5 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario, bookOnEveryMarket: boolean) {
  const book = (m: Market): BookSides | undefined => {
    const depth = m.depthLots ?? (bookOnEveryMarket ? 1_000 : null);
    if (depth === null) return undefined;
    // Two levels inside 10 bps of the touch, one far outside.
    const levels = (sign: number) => [
      { price: m.mark * (1 + sign * 0.0001), size: (depth * m.lot) / 2 },
      { price: m.mark * (1 + sign * 0.0005), size: (depth * m.lot) / 2 },
      { price: m.mark * (1 + sign * 0.01), size: 1e9 },
    ];
    return { bids: levels(-1), asks: levels(1) };
  };
  const candidates: HedgeCandidate[] = s.markets.map((m) => {
    const b = book(m);
    return {
      symbol: m.symbol,
      mark: m.mark,
      beta: m.beta,
      instrument: { lotSize: m.lot, minSize: m.lot, minNotional: m.lot * m.mark * m.minNotionalShare, takerFeeRate: 0.0005 },
      ...(b === undefined ? {} : { book: b }),
    };
  });
  const positions: DeltaPosition[] = [
    ...s.markets.filter((m) => m.symbol !== 'BTC-PERP').map((m) => ({ symbol: m.symbol, size: m.lots * m.lot, mark: m.mark })),
    { symbol: 'DOGE-PERP', size: s.other.size, mark: s.other.mark },
  ];
  const betas: Record<string, number> = { 'DOGE-PERP': s.other.beta };
  for (const m of s.markets) betas[m.symbol] = m.beta;
  const unit = (m: Market): number => m.lot * m.mark * (s.betaAdjusted ? m.beta : 1);
  const toleranceUsd = Math.max(...s.markets.map(unit)) * s.bandFactor;
  return { candidates, positions, betas, toleranceUsd };
}

/** Delta after the trades fill, recomputed from scratch. */
function deltaAfter(positions: readonly DeltaPosition[], trades: readonly HedgeTrade[], candidates: readonly HedgeCandidate[], betas: Record<string, number>, betaAdjusted: boolean): number {
  const next = new Map(positions.map((p) => [p.symbol, { ...p }]));
  for (const t of trades) {
    const c = candidates.find((x) => x.symbol === t.market) as HedgeCandidate;
    const p = next.get(t.market) ?? { symbol: t.market, size: 0, mark: c.mark };
    next.set(t.market, { ...p, size: p.size + (t.side === 'buy' ? t.size : -t.size) });
  }
  return portfolioDelta({ positions: [...next.values()], betas, betaAdjusted }).deltaUsd;
}

function checkTrades(trades: readonly HedgeTrade[], positions: readonly DeltaPosition[], candidates: readonly HedgeCandidate[]): void {
  let seenOpening = false;
  trades.forEach((t, k) => {
    const c = candidates.find((x) => x.symbol === t.market) as HedgeCandidate;
    expect(t.priority).toBe(k + 1);
    expect(isOnGrid(t.size, c.instrument.lotSize)).toBe(true);
    expect(t.size).toBeGreaterThanOrEqual(c.instrument.minSize);
    expect(t.size * c.mark).toBeGreaterThanOrEqual(c.instrument.minNotional * (1 - 1e-12));
    if (c.book !== undefined) expect(t.size).toBeLessThanOrEqual(depthSizeWithinSlippage(takenLevels(c.book, t.side), 10) * (1 + 1e-9));
    const q = positions.find((p) => p.symbol === t.market)?.size ?? 0;
    if (t.reduceOnly) {
      expect(seenOpening).toBe(false); // reducing comes first
      expect(Math.sign(q)).toBe(t.side === 'buy' ? -1 : 1);
      expect(t.size).toBeLessThanOrEqual(Math.abs(q) * (1 + 1e-12));
    } else {
      seenOpening = true;
      expect(q === 0 || Math.sign(q) === (t.side === 'buy' ? 1 : -1)).toBe(true); // never flips a position
    }
  });
}

describe('hedgeRequirements (properties)', () => {
  it('inside the band nothing trades; outside, the recomputed delta lands in the band with valid sizes', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { candidates, positions, betas, toleranceUsd } = build(s, false);
        const r = hedgeRequirements({ positions, hedgeInstruments: candidates, target: s.target, toleranceUsd, betaAdjusted: s.betaAdjusted, betas });
        const slack = 1e-9 * (Math.abs(r.currentDelta) + Math.abs(s.target) + 1e6);
        if (Math.abs(r.deltaDeviation) <= toleranceUsd) {
          expect(r.withinBand).toBe(true);
          expect(r.requiredTrades).toEqual([]);
          return;
        }
        expect(r.withinBand).toBe(false);
        expect(r.requiredTrades.length).toBeGreaterThan(0);
        expect(r.expectedWithinBand).toBe(true);
        checkTrades(r.requiredTrades, positions, candidates);
        const after = deltaAfter(positions, r.requiredTrades, candidates, betas, s.betaAdjusted);
        expect(Math.abs(after - s.target)).toBeLessThanOrEqual(toleranceUsd + slack);
        expect(Math.abs(after - r.expectedDeltaAfter)).toBeLessThanOrEqual(slack);
        expect(r.confidence).toBeGreaterThan(0);
        expect(r.confidence).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('emergency: at most maxTrades, each within depth, never worse; nothing inside the emergency band', () => {
    fc.assert(
      fc.property(scenario, fc.double({ min: 1, max: 5, noNaN: true }), (s, widen) => {
        const { candidates, positions, betas, toleranceUsd } = build(s, true);
        const emergencyToleranceUsd = toleranceUsd * widen;
        const r = emergencyHedge({ positions, hedgeInstruments: candidates, target: s.target, toleranceUsd, emergencyToleranceUsd, maxTrades: s.maxTrades, betaAdjusted: s.betaAdjusted, betas });
        expect(r.triggered).toBe(Math.abs(r.deltaDeviation) > emergencyToleranceUsd);
        if (!r.triggered) {
          expect(r.trades).toEqual([]);
          return;
        }
        expect(r.trades.length).toBeLessThanOrEqual(s.maxTrades);
        checkTrades(r.trades, positions, candidates);
        const after = deltaAfter(positions, r.trades, candidates, betas, s.betaAdjusted);
        const slack = 1e-9 * (Math.abs(r.currentDelta) + Math.abs(s.target) + 1e6);
        expect(Math.abs(after - s.target)).toBeLessThanOrEqual(Math.abs(r.deltaDeviation) + slack);
      }),
      { numRuns: 300 },
    );
  });
});
