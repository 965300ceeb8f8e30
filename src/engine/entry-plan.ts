import type { AccountState, Book, Instrument, Position } from '../core/types.js';
import { allocationCap } from '../risk/allocation-tier.js';
import { availableCapital, capitalShareCap } from '../risk/capital-share-cap.js';
import { effectiveMaxLeverage } from '../risk/leverage-validation.js';
import type { RiskContext } from '../risk/risk-gate.js';
import { riskLimitCap, type RiskLimits } from '../risk/risk-limits.js';
import type { PhaseParams, PhaseNumber, Phases } from '../sizing/phases.js';
import { progressiveNotional } from '../sizing/progressive-sizer.js';
import type { PairSizingInput, SizingCap } from '../sizing/sizing-pipeline.js';
import { volatilityAdjustment } from '../sizing/volatility-adjustment.js';
import type { ControlSnapshot } from './bot-controls.js';

/** Live state an entry is planned from, gathered by the bot at decision time. */
export interface EntryState {
  readonly account: AccountState;
  readonly positions: ReadonlyMap<string, Position>;
  readonly mark: (symbol: string) => number | undefined;
  readonly long: { readonly instrument: Instrument; readonly book: Book };
  readonly short: { readonly instrument: Instrument; readonly book: Book };
  readonly controls: ControlSnapshot;
  readonly phase: { readonly number: PhaseNumber; readonly params: PhaseParams; readonly initialCollateral: number };
  readonly volatilityFactor: number | null;
  readonly drawdown: number;
  /** Portfolio VaR(1d, 95%) in USD and correlation exposure, once measured (seed 002 limits). */
  readonly var1dUsd?: number | null;
  readonly correlationExposure?: number | null;
  /**
   * Initial margin in use by every bot on the account together, USD (seed 001's total leveraged
   * assets). Absent: this bot's alone.
   */
  readonly accountMargin?: number;
}

export interface EntryPolicy {
  readonly baseNotionalUsd: number;
  readonly safetyFactor: number;
  readonly maxSlippageBps: number;
  readonly capitalShare: number;
  readonly limits: RiskLimits;
  readonly phases: Phases;
}

const usd = (v: number): string => `$${v.toFixed(2)}`;

/**
 * Turns live state into the sizing pipeline's input (ruling 4's order: progressive base, × risk
 * multiplier, × volatility, then caps: leverage, allocation tier (this bot's margin, then every
 * bot's: total leveraged assets), capital share, risk limits, phase
 * maximum, book depth) and the RiskGate's context. Pure.
 */
export function planEntry(s: EntryState, p: EntryPolicy): { sizing: PairSizingInput; risk: Omit<RiskContext, 'volumeGate'> } {
  const equity = s.account.equity;
  const collateral = Math.min(s.account.collateral, equity);
  const leverage = effectiveMaxLeverage(s.phase.params.leverage, p.limits.maxPortfolioLeverage);
  // Margin per unit of notional at the leverage we allow ourselves (ruling 2's "allocation").
  const imr = 1 / leverage;
  const notionalOf = (symbol: string): number => {
    const pos = s.positions.get(symbol);
    return pos ? Math.abs(pos.size) * (s.mark(symbol) ?? pos.entryPrice) : 0;
  };
  let gross = 0;
  for (const sym of s.positions.keys()) gross += notionalOf(sym);
  const longHeld = notionalOf(s.long.instrument.symbol);
  const shortHeld = notionalOf(s.short.instrument.symbol);
  const tier = s.controls.tier;

  const base = progressiveNotional({ initialNotional: p.baseNotionalUsd, initialCollateral: s.phase.initialCollateral, currentCollateral: Math.max(collateral, 1e-9), phase: s.phase.number }, p.phases);
  const growth = collateral / s.phase.initialCollateral;
  const vAdj = volatilityAdjustment(s.volatilityFactor);
  const alloc = allocationCap({ equity, initialMarginRatio: imr, marginInUse: gross * imr, limit: tier.limit }) / 2;
  const accountMargin = Math.max(s.accountMargin ?? 0, gross * imr);
  const total = allocationCap({ equity, initialMarginRatio: imr, marginInUse: accountMargin, limit: tier.totalLimit }) / 2;
  const available = availableCapital({ equity: Math.max(0, equity), allocationLimit: tier.limit });
  const share = (held: number): number => capitalShareCap({ availableCapital: available, initialMarginRatio: imr, share: p.capitalShare, positionNotional: held });
  // Historical VaR is a quantile of PnL: over a window where the pair's worst days still gained,
  // it comes out negative. No loss at 95% is a VaR of 0 for the limit, not an invalid input that
  // stops the run.
  const var1d = s.var1dUsd === null || s.var1dUsd === undefined ? null : Math.max(0, s.var1dUsd);
  const limitCap = (held: number): number =>
    Number.isFinite(equity) ? riskLimitCap({ equity, grossNotional: gross, positionNotional: held, drawdown: s.drawdown, var1dUsd: var1d, correlationExposure: s.correlationExposure ?? null, legs: 2 }, p.limits) : 0;
  const phaseRoom = Math.max(0, s.phase.params.maxPositionUsd - gross) / 2;

  const caps: SizingCap[] = [
    { step: 'allocation_tier', long: alloc, short: alloc, reason: `${tier.tier} tier: margin ≤ ${(tier.limit * 100).toFixed(0)}% of equity ${usd(equity)} at ${leverage}×, half per leg` },
    { step: 'total_leveraged', long: total, short: total, reason: `${tier.tier} tier: all bots' margin ≤ ${(tier.totalLimit * 100).toFixed(0)}% of equity (total leveraged assets), ${usd(accountMargin)} in use, half per leg` },
    { step: 'capital_share', long: share(longHeld), short: share(shortHeld), reason: `margin ≤ ${(p.capitalShare * 100).toFixed(0)}% of available capital ${usd(available)}` },
    { step: 'risk_limits', long: limitCap(longHeld), short: limitCap(shortHeld), reason: `max position ${usd(p.limits.maxPositionSizeUsd)} / ${(p.limits.maxPositionSizePercent * 100).toFixed(0)}% of equity, portfolio leverage ${p.limits.maxPortfolioLeverage}×, drawdown ${(s.drawdown * 100).toFixed(1)}%` },
    { step: 'phase_max_position', long: phaseRoom, short: phaseRoom, reason: `phase ${s.phase.number} max position ${usd(s.phase.params.maxPositionUsd)} gross, ${usd(gross)} in use` },
  ];
  const sizing: PairSizingInput = {
    baseNotional: base,
    baseReason: `progressive: ${usd(p.baseNotionalUsd)} × min(phase ${s.phase.number} multiplier ${s.phase.params.growthMultiplier}, collateral growth ${growth.toFixed(3)})`,
    scales: [
      { step: 'risk_multiplier', factor: s.controls.riskMultiplier, reason: 'seed 000 dynamic risk multiplier' },
      { step: 'volatility', factor: vAdj, reason: s.volatilityFactor === null ? 'volatility factor not yet known: neutral' : `clamp(1 / volatility factor ${s.volatilityFactor.toFixed(3)}, 0.5, 1.5)` },
    ],
    caps,
    collateral,
    maxLeverage: leverage,
    safetyFactor: p.safetyFactor,
    maxSlippageBps: p.maxSlippageBps,
    long: { instrument: s.long.instrument, price: s.long.book.bids[0]?.price ?? Number.NaN, takeLevels: s.long.book.asks, existingNotional: longHeld },
    short: { instrument: s.short.instrument, price: s.short.book.asks[0]?.price ?? Number.NaN, takeLevels: s.short.book.bids, existingNotional: shortHeld },
  };
  const positionNotional = new Map<string, number>();
  for (const [sym, pos] of s.positions) positionNotional.set(sym, pos.size * (s.mark(sym) ?? pos.entryPrice));
  return {
    sizing,
    risk: {
      collateral,
      maxLeverage: leverage,
      safetyFactor: p.safetyFactor,
      positionNotional,
      restingEntryNotional: new Map(),
      halted: s.controls.halted !== null,
      ...(s.controls.halted !== null ? { haltReason: `entries halted: ${s.controls.halted}` } : {}),
      breakers: s.controls.breakers,
      allocation: { tier: tier.tier, limit: tier.limit, totalLimit: tier.totalLimit, equity, marginInUse: gross * imr, accountMarginInUse: accountMargin, initialMarginRatio: imr },
      riskLimits: { limits: p.limits, equity, grossNotional: gross, drawdown: s.drawdown, var1dUsd: var1d, correlationExposure: s.correlationExposure ?? null },
    },
  };
}
