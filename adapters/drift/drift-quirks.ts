import type { LimiterBudget, WeightedCost } from '../../src/core/weighted-limiter.js';
import type { DriftConfig } from './drift-config.js';

/**
 * Drift's quotas are the RPC provider's: requests per second on the endpoint, and transactions per
 * second we allow ourselves (each also one RPC request: the send). Checked over any 1 s window.
 */
export function driftRateBudgets(l: DriftConfig['limits']): LimiterBudget[] {
  return [
    { name: 'rpc', windows: [{ limit: l.rpcPerSecond, windowMs: 1_000 }] },
    { name: 'tx', windows: [{ limit: l.txPerSecond, windowMs: 1_000 }] },
  ];
}

export const RPC_COST: readonly WeightedCost[] = [{ budget: 'rpc', weight: 1 }];
export const TX_COST: readonly WeightedCost[] = [
  { budget: 'tx', weight: 1 },
  { budget: 'rpc', weight: 1 },
];
