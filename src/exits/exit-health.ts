/** What ExitBrain's health status is judged from. */
export interface ExitHealthInput {
  readonly enabled: boolean;
  /** Each active plan: whether its levels fell back to the static v3 ones (a fail-safe fired). */
  readonly plans: readonly { readonly fallback: boolean }[];
  /** Open pairs ExitBrain could not give a plan (a leg already flat when it opened). */
  readonly unplannedPairs: number;
}

export type ExitHealthStatus = 'OK' | 'DEGRADED' | 'DISABLED';

/**
 * Seed 004's `adaptive_leverage_status.status`, computed: DISABLED when the toggle is off (the v3
 * levels apply), DEGRADED when an active plan runs on the static fallback levels or an open pair
 * has no plan, otherwise OK. Pure; `reason` says why in words.
 */
export function exitHealthStatus(i: ExitHealthInput): { readonly status: ExitHealthStatus; readonly reason: string } {
  if (!i.enabled) return { status: 'DISABLED', reason: 'ExitBrain v3.5 is off; static v3 levels apply' };
  const fallback = i.plans.filter((p) => p.fallback).length;
  const problems = [
    ...(fallback > 0 ? [`${fallback} active plan(s) on the static fallback levels`] : []),
    ...(i.unplannedPairs > 0 ? [`${i.unplannedPairs} open pair(s) without a plan`] : []),
  ];
  return problems.length > 0 ? { status: 'DEGRADED', reason: problems.join('; ') } : { status: 'OK', reason: 'every open pair has an adaptive plan' };
}
