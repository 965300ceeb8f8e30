import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Book, Instrument, Position } from '../../../src/core/types.js';
import { planEntry, type EntryState } from '../../../src/engine/entry-plan.js';
import { allocationTier } from '../../../src/risk/allocation-tier.js';
import { evaluateRisk } from '../../../src/risk/risk-gate.js';
import { DEFAULT_RISK_LIMITS } from '../../../src/risk/risk-limits.js';
import { DEFAULT_PHASES, type PhaseNumber } from '../../../src/sizing/phases.js';
import { sizePair } from '../../../src/sizing/sizing-pipeline.js';

const inst = (symbol: string, tick: number, lot: number): Instrument => ({
  venue: 'sim', symbol, baseAsset: symbol.split('-')[0]!, quoteAsset: 'USD', tickSize: tick, lotSize: lot, minSize: lot, minNotional: 10,
  maxLeverage: 20, makerFeeRate: 0.0001, takerFeeRate: 0.0005, initialMarginRatio: 0.05, maintenanceMarginRatio: 0.03, fundingIntervalMs: 3_600_000,
});
const ETH = inst('ETH-PERP', 0.01, 0.001);
const SOL = inst('SOL-PERP', 0.001, 0.01);

function book(symbol: string, mid: number, tick: number, depthUsd: number): Book {
  const bids = Array.from({ length: 10 }, (_, k) => ({ price: Number((mid - tick * (k + 1)).toFixed(6)), size: depthUsd / mid }));
  const asks = Array.from({ length: 10 }, (_, k) => ({ price: Number((mid + tick * (k + 1)).toFixed(6)), size: depthUsd / mid }));
  return { symbol, ts: 0, seq: 1, bids, asks };
}

const account = fc.record({ equity: fc.double({ min: 50, max: 1e6, noNaN: true }), collateralShare: fc.double({ min: 0.5, max: 1.2, noNaN: true }) });
const state = fc.record({
  account,
  ethMid: fc.double({ min: 100, max: 10_000, noNaN: true }),
  solMid: fc.double({ min: 5, max: 500, noNaN: true }),
  ethHeld: fc.double({ min: -50, max: 50, noNaN: true }),
  depthUsd: fc.double({ min: 100, max: 1e7, noNaN: true }),
  multiplier: fc.double({ min: 0.2, max: 3, noNaN: true }),
  volFactor: fc.option(fc.double({ min: 0.1, max: 10, noNaN: true }), { nil: null }),
  winRate: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
  monthlyReturn: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
  phase: fc.constantFrom<PhaseNumber>(1, 2, 3, 4),
  drawdown: fc.double({ min: 0, max: 0.3, noNaN: true }),
  base: fc.double({ min: 10, max: 100_000, noNaN: true }),
  breakers: fc.array(fc.constant<string>('portfolio daily loss'), { maxLength: 1 }),
  /** Margin other bots on the account use, as a share of equity. */
  othersMargin: fc.double({ min: 0, max: 0.9, noNaN: true }),
});

type GeneratedState = typeof state extends fc.Arbitrary<infer T> ? T : never;

function build(s: GeneratedState): { es: EntryState; collateral: number } {
  const equity = s.account.equity;
  const collateral = equity * s.account.collateralShare;
  const positions = new Map<string, Position>();
  if (Math.abs(s.ethHeld) > 0.001) positions.set('ETH-PERP', { symbol: 'ETH-PERP', size: Number(s.ethHeld.toFixed(3)), entryPrice: s.ethMid, realizedPnl: 0 });
  const es: EntryState = {
    account: { equity, collateral, freeCollateral: collateral, initialMargin: 0, maintenanceMargin: 0 },
    positions,
    mark: (sym) => (sym === 'ETH-PERP' ? s.ethMid : s.solMid),
    long: { instrument: ETH, book: book('ETH-PERP', s.ethMid, 0.01, s.depthUsd) },
    short: { instrument: SOL, book: book('SOL-PERP', s.solMid, 0.001, s.depthUsd) },
    controls: { halted: null, protection: null, breakers: s.breakers, phase: s.phase, riskMultiplier: s.multiplier, tier: allocationTier({ winRate: s.winRate, monthlyReturn: s.monthlyReturn }) },
    phase: { number: s.phase, params: DEFAULT_PHASES[s.phase], initialCollateral: 10_000 },
    volatilityFactor: s.volFactor,
    drawdown: s.drawdown,
  };
  return { es, collateral };
}

/** This bot's margin at the plan's leverage plus the other bots'. */
function withOthers(es: EntryState, s: GeneratedState): EntryState {
  const leverage = Math.min(DEFAULT_PHASES[s.phase].leverage, DEFAULT_RISK_LIMITS.maxPortfolioLeverage);
  const own = [...es.positions.values()].reduce((a, p) => a + Math.abs(p.size) * es.mark(p.symbol)!, 0) / leverage;
  return { ...es, accountMargin: own + s.othersMargin * es.account.equity };
}

const policy = (base: number) => ({ baseNotionalUsd: base, safetyFactor: 0.8, maxSlippageBps: 10, capitalShare: 0.1, limits: DEFAULT_RISK_LIMITS, phases: DEFAULT_PHASES });

describe('entry planning + sizing + RiskGate (properties)', () => {
  it('no entry that passes the gate exceeds the leverage cap or the tier cap; a tripped breaker lets none through', () => {
    fc.assert(
      fc.property(state, (s) => {
        const built = build(s);
        const collateral = built.collateral;
        const es = withOthers(built.es, s);
        const plan = planEntry(es, policy(s.base));
        const sized = sizePair(plan.sizing);
        if (!sized.ok) return;
        const ctx = { ...plan.risk, volumeGate: { allowed: true, reason: '' } };
        const legs = [
          { leg: plan.sizing.long, side: 'buy' as const, size: sized.long.size },
          { leg: plan.sizing.short, side: 'sell' as const, size: sized.short.size },
        ];
        const decisions = legs.map((l) => evaluateRisk({ symbol: l.leg.instrument.symbol, side: l.side, size: l.size, price: l.leg.price, purpose: 'entry', reduceOnly: false }, ctx));
        if (s.breakers.length > 0) {
          for (const d of decisions) expect(d).toMatchObject({ allowed: false, check: 'circuit_breaker' });
          return;
        }
        if (!decisions.every((d) => d.allowed)) return;
        const leverage = plan.risk.maxLeverage;
        const gross = [...es.positions.values()].reduce((a, p) => a + Math.abs(p.size) * es.mark(p.symbol)!, 0);
        let added = 0;
        for (const l of legs) {
          const notional = l.size * l.leg.price;
          added += notional;
          // Leverage validation, per leg: held + new ≤ collateral × leverage × safety / 2.
          expect(l.leg.existingNotional + notional).toBeLessThanOrEqual((Math.min(collateral, es.account.equity) * leverage * 0.8) / 2 + 1e-6);
          // Seed 001's 10% of available capital: each position's margin (ruling 2's unit of capital).
          expect((l.leg.existingNotional + notional) / leverage).toBeLessThanOrEqual(0.1 * es.controls.tier.limit * es.account.equity + 1e-6);
        }
        // Tier cap (ruling 2): margin in use after both legs ≤ tier limit × equity.
        expect((gross + added) / leverage).toBeLessThanOrEqual(es.controls.tier.limit * es.account.equity + 1e-6);
        // Total leveraged assets (seed 001): every bot's margin together ≤ the tier's total limit.
        expect(es.accountMargin! + added / leverage).toBeLessThanOrEqual(es.controls.tier.totalLimit * es.account.equity + 1e-6);
        // The multiplier that sized it is within seed 000's bounds.
        expect(es.controls.riskMultiplier).toBeGreaterThanOrEqual(0.2);
        expect(es.controls.riskMultiplier).toBeLessThanOrEqual(3);
      }),
      { numRuns: 400 },
    );
  });

  it('a negative VaR (the window\'s worst days still gained) sizes and gates as a VaR of 0, never stops the run', () => {
    fc.assert(
      fc.property(state, fc.double({ min: -1_000, max: -1e-9, noNaN: true }), (s, var1dUsd) => {
        const { es } = build({ ...s, breakers: [] });
        const plan = planEntry({ ...es, var1dUsd }, policy(s.base));
        const zero = planEntry({ ...es, var1dUsd: 0 }, policy(s.base));
        expect(sizePair(plan.sizing)).toEqual(sizePair(zero.sizing));
        const sized = sizePair(plan.sizing);
        if (!sized.ok) return;
        const ctx = { ...plan.risk, volumeGate: { allowed: true, reason: '' } };
        expect(() => evaluateRisk({ symbol: 'ETH-PERP', side: 'buy', size: sized.long.size, price: s.ethMid, purpose: 'entry', reduceOnly: false }, ctx)).not.toThrow();
      }),
      { numRuns: 100 },
    );
  });

    it('exits, harvests, hedges and stops are never blocked by entry controls', () => {
    fc.assert(
      fc.property(state, fc.constantFrom('exit', 'harvest', 'hedge', 'stop') as fc.Arbitrary<'exit' | 'harvest' | 'hedge' | 'stop'>, (s, purpose) => {
        const { es } = build({ ...s, breakers: ['tripped'] });
        const plan = planEntry(es, policy(s.base));
        const ctx = { ...plan.risk, halted: true, haltReason: 'halt', volumeGate: { allowed: false, reason: 'target reached' }, collateral: 0 };
        const d = evaluateRisk({ symbol: 'ETH-PERP', side: 'sell', size: 0.5, price: s.ethMid, purpose, reduceOnly: true }, ctx);
        expect(d.allowed).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
