import { allocationTier, type AllocationTier, type AllocationTierConfig } from '../risk/allocation-tier.js';
import type { Store } from '../store/store.js';

/**
 * Seed 001's tier of a bot as SQLite has it, for the surfaces that read the database (`dnbot
 * status`, `dnbot risk`, the report): win rate of its last 50 round trips and its month-to-date
 * return (the month's first equity snapshot to the latest), as the running bot computes them.
 */
export function storedAllocationTier(store: Store, botId: string, day: string, config?: AllocationTierConfig): AllocationTier & { winRate: number | null; monthlyReturn: number } {
  const pnls = store.roundTrips.recentPnls(botId, 50);
  const winRate = pnls.length === 0 ? null : pnls.filter((p) => p > 0).length / pnls.length;
  const start = store.snapshots.periodEquityIfKnown(botId, day.slice(0, 7));
  const equity = store.snapshots.latestEquity(botId)?.equity ?? null;
  const monthlyReturn = start !== null && equity !== null && start > 0 ? (equity - start) / start : 0;
  return { ...allocationTier({ winRate, monthlyReturn }, config), winRate, monthlyReturn };
}
