import type { FeedHealth } from '../core/venue.js';

/** What `/health` judges, read from live state when asked. */
export interface HealthInputs {
  readonly feeds: readonly FeedHealth[];
  /** Positions that differed from the venue at the last reconciliation (empty = agreed). */
  readonly reconciliationMismatches: readonly string[];
  /** Event-loop delay, p99 over the last window (ms); null before the first window. */
  readonly eventLoopLagP99Ms: number | null;
  readonly bots: readonly { readonly id: string; readonly halted: string | null; readonly breakers: readonly string[] }[];
  /** The liquidation monitor's level, or null before its first reading. */
  readonly riskLevel: 'low' | 'medium' | 'high' | 'critical' | null;
}

export interface HealthThresholds {
  /** Above this p99 event-loop delay the process is too busy to react in time. */
  readonly maxEventLoopLagMs: number;
  /** A tripped loss-limit breaker makes /health fail (it needs an operator's look). */
  readonly failOnBreaker: boolean;
  /** A halted bot makes /health fail (off by default: an operator halted it on purpose). */
  readonly failOnHalt: boolean;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = { maxEventLoopLagMs: 1_000, failOnBreaker: true, failOnHalt: false };

/** One finding: a stable `check` name for alert rules, and plain words. */
export interface HealthReason {
  readonly check: 'feed_stale' | 'reconciliation_failed' | 'event_loop_lag' | 'breaker_tripped' | 'halted' | 'risk_critical';
  readonly message: string;
}

export interface HealthVerdict {
  /** `ok` (200), or `fail` (503) when any reason is a failure. */
  readonly status: 'ok' | 'fail';
  /** What makes it fail. */
  readonly reasons: readonly HealthReason[];
  /** Worth knowing, not failing (a halt an operator chose, with failOnHalt off). */
  readonly notices: readonly HealthReason[];
}

/**
 * Judges the process' health: a stale feed, a failed reconciliation, an event loop too busy, a
 * critical liquidation risk or (by default) a tripped breaker fail it, each with its reason.
 */
export function healthVerdict(i: HealthInputs, t: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS): HealthVerdict {
  const reasons: HealthReason[] = [];
  const notices: HealthReason[] = [];
  for (const f of i.feeds.filter((x) => x.stale)) reasons.push({ check: 'feed_stale', message: `${f.venue} ${f.symbol}: ${f.reason ?? 'stale'}` });
  if (i.reconciliationMismatches.length > 0) reasons.push({ check: 'reconciliation_failed', message: `positions differ from the venue: ${i.reconciliationMismatches.join('; ')}` });
  if (i.eventLoopLagP99Ms !== null && i.eventLoopLagP99Ms > t.maxEventLoopLagMs) {
    reasons.push({ check: 'event_loop_lag', message: `event loop delay p99 ${Math.round(i.eventLoopLagP99Ms)} ms > ${t.maxEventLoopLagMs} ms` });
  }
  if (i.riskLevel === 'critical') reasons.push({ check: 'risk_critical', message: 'liquidation risk level critical' });
  for (const b of i.bots) {
    for (const br of b.breakers) (t.failOnBreaker ? reasons : notices).push({ check: 'breaker_tripped', message: `${b.id}: ${br}` });
    if (b.halted !== null) (t.failOnHalt ? reasons : notices).push({ check: 'halted', message: `${b.id}: entries halted (${b.halted})` });
  }
  return { status: reasons.length > 0 ? 'fail' : 'ok', reasons, notices };
}
