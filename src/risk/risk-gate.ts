import type { OrderPurpose, Side } from '../core/types.js';
import { checkLeverage } from './leverage-validation.js';
import { checkRiskLimits, type RiskLimits } from './risk-limits.js';

/** An order about to be sent, as the gate sees it. */
export interface ProposedOrder {
  readonly symbol: string;
  readonly side: Side;
  readonly size: number;
  readonly price: number;
  readonly purpose: OrderPurpose;
  readonly reduceOnly: boolean;
}

/** Live state the checks read; built by the engine at decision time. */
export interface RiskContext {
  readonly collateral: number;
  readonly maxLeverage: number;
  readonly safetyFactor: number;
  /** Signed position notional per symbol (+ long). */
  readonly positionNotional: ReadonlyMap<string, number>;
  /** Notional of resting entry orders per symbol (unsigned). */
  readonly restingEntryNotional: ReadonlyMap<string, number>;
  readonly volumeGate: { readonly allowed: boolean; readonly reason: string };
  readonly halted: boolean;
  /** Why entries are halted (kill switch), when they are. */
  readonly haltReason?: string;
  /** Reasons of the tripped loss-limit breakers still in their period. */
  readonly breakers?: readonly string[];
  /**
   * Seed 001's tier caps on initial margin in use (ruling 2): this bot's (`limit`) and every bot's
   * on the account together (`totalLimit`, total leveraged assets; absent: not checked).
   */
  readonly allocation?: {
    readonly tier: string;
    readonly limit: number;
    readonly totalLimit?: number;
    readonly equity: number;
    readonly marginInUse: number;
    readonly accountMarginInUse?: number;
    readonly initialMarginRatio: number;
  };
  /** Seed 002's limits on the account after the order. */
  readonly riskLimits?: {
    readonly limits: RiskLimits;
    readonly equity: number;
    readonly grossNotional: number;
    readonly drawdown: number;
    readonly var1dUsd?: number | null;
    readonly correlationExposure?: number | null;
  };
}

export interface RiskDecision {
  readonly allowed: boolean;
  readonly check: string;
  readonly reason: string;
}

type Check = (o: ProposedOrder, c: RiskContext) => RiskDecision | null;

const isEntry = (o: ProposedOrder): boolean => o.purpose === 'entry';

/**
 * Pre-trade checks, in order; the first refusal wins. Exits, harvests, hedges and stops are only
 * sanity-checked: entry gates and targets never block them.
 */
export const RISK_CHECKS: ReadonlyArray<readonly [string, Check]> = [
  [
    'sanity',
    (o) =>
      Number.isFinite(o.size) && o.size > 0 && Number.isFinite(o.price) && o.price > 0
        ? null
        : { allowed: false, check: 'sanity', reason: `size ${o.size} and price ${o.price} must be finite and > 0` },
  ],
  ['halt', (o, c) => (isEntry(o) && c.halted ? { allowed: false, check: 'halt', reason: c.haltReason ?? 'entries halted' } : null)],
  [
    'circuit_breaker',
    (o, c) =>
      isEntry(o) && c.breakers && c.breakers.length > 0
        ? { allowed: false, check: 'circuit_breaker', reason: `loss limit breaker tripped: ${c.breakers.join('; ')}` }
        : null,
  ],
  [
    'leverage',
    (o, c) => {
      if (!isEntry(o)) return null;
      // Leverage validation per leg (half of collateral × max leverage × safety).
      const held = Math.abs(c.positionNotional.get(o.symbol) ?? 0);
      const resting = c.restingEntryNotional.get(o.symbol) ?? 0;
      const r = checkLeverage({
        positionValue: held + resting + o.size * o.price,
        collateral: c.collateral,
        maxLeverage: c.maxLeverage,
        safetyFactor: c.safetyFactor,
        share: 0.5,
      });
      return r.ok ? null : { allowed: false, check: 'leverage', reason: r.message };
    },
  ],
  [
    'allocation_tier',
    (o, c) => {
      const a = c.allocation;
      if (!isEntry(o) || !a) return null;
      const after = a.marginInUse + o.size * o.price * a.initialMarginRatio;
      return a.equity > 0 && after <= a.limit * a.equity + 1e-9
        ? null
        : { allowed: false, check: 'allocation_tier', reason: `${a.tier} tier: margin ${after.toFixed(2)} would exceed ${(a.limit * 100).toFixed(0)}% of equity ${a.equity.toFixed(2)}` };
    },
  ],
  [
    'total_leveraged',
    (o, c) => {
      const a = c.allocation;
      if (!isEntry(o) || !a || a.totalLimit === undefined) return null;
      const after = Math.max(a.accountMarginInUse ?? 0, a.marginInUse) + o.size * o.price * a.initialMarginRatio;
      return a.equity > 0 && after <= a.totalLimit * a.equity + 1e-9
        ? null
        : { allowed: false, check: 'total_leveraged', reason: `${a.tier} tier: all bots' margin ${after.toFixed(2)} would exceed ${(a.totalLimit * 100).toFixed(0)}% of equity ${a.equity.toFixed(2)} (total leveraged assets)` };
    },
  ],
  [
    'risk_limits',
    (o, c) => {
      const r = c.riskLimits;
      if (!isEntry(o) || !r) return null;
      if (!(r.equity > 0)) return { allowed: false, check: 'risk_limits', reason: `no equity (${r.equity})` };
      const notional = o.size * o.price;
      const held = Math.abs(c.positionNotional.get(o.symbol) ?? 0) + (c.restingEntryNotional.get(o.symbol) ?? 0);
      const v = checkRiskLimits(
        { equity: r.equity, grossNotional: r.grossNotional + notional, positionNotional: held + notional, drawdown: r.drawdown, var1dUsd: r.var1dUsd ?? null, correlationExposure: r.correlationExposure ?? null },
        r.limits,
      );
      return v.length === 0 ? null : { allowed: false, check: 'risk_limits', reason: v.map((x) => x.message).join('; ') };
    },
  ],
  [
    'daily_volume',
    (o, c) => (isEntry(o) && !c.volumeGate.allowed ? { allowed: false, check: 'daily_volume', reason: c.volumeGate.reason } : null),
  ],
];

/** Runs every check; pure. */
export function evaluateRisk(o: ProposedOrder, c: RiskContext): RiskDecision {
  for (const [, check] of RISK_CHECKS) {
    const d = check(o, c);
    if (d) return d;
  }
  return { allowed: true, check: 'all', reason: 'passed' };
}
