import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pairImbalance } from '../../../src/hedging/pair-imbalance.js';
import { pairRebalanceTargets, type RebalancePair } from '../../../src/hedging/rebalance-request.js';

/** ETH long 0.1 @ 3,000 ($300), SOL short 2 @ 150 ($300): a $300 pair, band ±5% = $15. */
const pair = (over: Partial<RebalancePair> = {}, held: Record<string, number> = { 'ETH-PERP': 0.1, 'SOL-PERP': -2 }): RebalancePair => ({
  id: 'p1',
  longSymbol: 'ETH-PERP',
  shortSymbol: 'SOL-PERP',
  targetNotional: 300,
  held: (s) => held[s] ?? 0,
  mark: (s) => ({ 'ETH-PERP': 3_000, 'SOL-PERP': 150 })[s],
  lotSize: (s) => (s === 'ETH-PERP' ? 0.001 : 0.01),
  hedgeRatio: 1,
  imbalanceTolerance: 0.05,
  floorUsd: 10,
  ...over,
});

describe('pairRebalanceTargets: a rebalance resizes the open pair so its executor leaves it alone', () => {
  it.each([
    ['both legs halved', { 'ETH-PERP': 0.05, 'SOL-PERP': -1 }, { ok: true, targets: { 'ETH-PERP': 0.05, 'SOL-PERP': 1 }, close: false }],
    ['both legs to zero closes the pair', { 'ETH-PERP': 0, 'SOL-PERP': 0 }, { ok: true, targets: { 'ETH-PERP': 0, 'SOL-PERP': 0 }, close: true }],
    ['one leg within the band ($9 off)', { 'ETH-PERP': 0.097 }, { ok: true, targets: { 'ETH-PERP': 0.097, 'SOL-PERP': 2 }, close: false }],
    ['one leg alone leaves the band', { 'ETH-PERP': 0.05 }, { ok: false, field: '--target' }],
    ['one leg to zero leaves the other naked', { 'SOL-PERP': 0 }, { ok: false, field: '--target' }],
    ['growth is an entry', { 'ETH-PERP': 0.2, 'SOL-PERP': -4 }, { ok: false, field: '--target.ETH-PERP' }],
    ['a flip is a close and an entry', { 'SOL-PERP': 1 }, { ok: false, field: '--target.SOL-PERP' }],
    ['a market outside the pair', { 'BTC-PERP': 0.01 }, { ok: false, field: '--target.BTC-PERP' }],
  ] as const)('%s', (_name, requested, want) => {
    const r = pairRebalanceTargets(pair(), new Map(Object.entries(requested)));
    if (want.ok) {
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(Object.fromEntries(r.targets)).toEqual(want.targets);
        expect(r.close).toBe(want.close);
      }
    } else {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.field).toBe(want.field);
    }
  });

  it('with drift rebalancing on, legs left further apart than its share (and sendable) are refused: its post-only order would bring them back', () => {
    const drift = pair({ imbalanceTolerance: 0.1, driftShare: 0.01, minimums: () => ({ minSize: 0.001, minNotional: 10 }) });
    // $30 apart: inside the IOC trim's ±$30, but over 1% of the $570 gross, and $30 is sendable.
    const apart = pairRebalanceTargets(drift, new Map([['ETH-PERP', 0.09]]));
    expect(apart.ok).toBe(false);
    if (!apart.ok) expect(apart.reason).toMatch(/execution\.driftShare/);
    expect(pairRebalanceTargets({ ...drift, driftShare: 0 }, new Map([['ETH-PERP', 0.09]])).ok).toBe(true);
    // $9 apart: under the venue minimum, so the drift order could not be sent: left alone, accepted.
    expect(pairRebalanceTargets(drift, new Map([['ETH-PERP', 0.097]])).ok).toBe(true);
    expect(pairRebalanceTargets(drift, new Map([['ETH-PERP', 0.05], ['SOL-PERP', -1]])).ok).toBe(true);
  });

  it("a leg left smaller than the venue's minimums is refused naming it: no order could ever close it (both to zero closes the pair)", () => {
    const venue = pair({ minimums: () => ({ minSize: 0.001, minNotional: 10 }) });
    // $9 a leg: inside the band, but under the $10 minimum notional.
    const dust = pairRebalanceTargets(venue, new Map([['ETH-PERP', 0.003], ['SOL-PERP', -0.06]]));
    expect(dust.ok).toBe(false);
    if (!dust.ok) {
      expect(dust.field).toBe('--target.ETH-PERP');
      expect(dust.reason).toMatch(/under the venue's minimum/);
    }
    expect(pairRebalanceTargets(venue, new Map([['ETH-PERP', 0.004], ['SOL-PERP', -0.08]])).ok).toBe(true);
    expect(pairRebalanceTargets(venue, new Map([['ETH-PERP', 0], ['SOL-PERP', 0]])).ok).toBe(true);
  });

  it('beta-adjusted, the band is judged with the long leg weighted by the hedge ratio', () => {
    // h = 0.8: short $240 per long $300 is centred; 1:1 legs are $60 off, outside ±$15.
    const h = pair({ hedgeRatio: 0.8 }, { 'ETH-PERP': 0.1, 'SOL-PERP': -1.6 });
    expect(pairRebalanceTargets(h, new Map([['ETH-PERP', 0.05], ['SOL-PERP', -0.8]])).ok).toBe(true);
    expect(pairRebalanceTargets(h, new Map([['ETH-PERP', 0.05], ['SOL-PERP', -1]])).ok).toBe(false);
  });

  it('property: an accepted request only shrinks legs, on the lot grid, and ends inside the band or flat', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 150 }), fc.integer({ min: 0, max: 300 }), (ethLots, solLots) => {
        const eth = ethLots * 0.001;
        const sol = solLots * 0.01;
        const r = pairRebalanceTargets(pair(), new Map([['ETH-PERP', eth], ['SOL-PERP', -sol]]));
        if (!r.ok) return;
        expect(r.targets.get('ETH-PERP')!).toBeLessThanOrEqual(0.1);
        expect(r.targets.get('SOL-PERP')!).toBeLessThanOrEqual(2);
        for (const [s, v] of r.targets) expect(Math.abs(v / (s === 'ETH-PERP' ? 0.001 : 0.01) - Math.round(v / (s === 'ETH-PERP' ? 0.001 : 0.01)))).toBeLessThan(1e-6);
        if (!r.close) expect(pairImbalance({ longNotional: r.targets.get('ETH-PERP')! * 3_000, shortNotional: r.targets.get('SOL-PERP')! * 150 }, 15).within).toBe(true);
      }),
    );
  });
});
