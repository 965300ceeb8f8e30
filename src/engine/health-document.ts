import type { DnPairBot } from './dn-pair-bot.js';
import type { PortfolioMonitor } from './portfolio-monitor.js';
import type { Runtime } from './runtime.js';

/**
 * The `/health` document from live state: liveness, market time, per-bot controls and ExitBrain
 * plans, and seed 004's `adaptive_leverage_status` (field names kept) for the first bot.
 */
export function healthDocument(runtime: Runtime, bots: readonly DnPairBot[], venue: string, droppedEvents: () => number, portfolio?: PortfolioMonitor): Record<string, unknown> {
  const status = runtime.status();
  const risk = portfolio?.latest() ?? null;
  const botDocs = bots.map((b) => {
    const c = b.controlSnapshot();
    const pair = b.activePair;
    return {
      id: b.id,
      phase: c.phase,
      risk_multiplier: c.riskMultiplier,
      halted: c.halted,
      breakers: c.breakers,
      allocation_tier: c.tier.tier,
      allocation: (() => {
        const a = b.allocationState();
        const share = (usd: number): number | null => (a.equity > 0 ? usd / a.equity : null);
        return {
          tier: a.tier,
          margin_usd: a.marginUsd,
          margin_share: share(a.marginUsd),
          limit: a.limit,
          account_margin_usd: a.accountMarginUsd,
          account_margin_share: share(a.accountMarginUsd),
          total_leveraged_limit: a.totalLimit,
          position_cap_usd: a.positionCapUsd,
        };
      })(),
      protection: c.protection,
      hedge_effectiveness: b.hedgeEffectiveness(),
      open_pair: pair ? { id: pair.id, status: pair.status, long: pair.longSymbol, short: pair.shortSymbol, target_notional: pair.targetNotional } : null,
      exit_plans: b.exits.activePlans().map((p) => ({
        pair_id: p.pairId,
        leverage: p.leverage,
        tp1: p.tp1,
        tp2: p.tp2,
        tp3: p.tp3,
        sl: p.sl,
        harvest_scheme: p.harvestScheme,
        scheme: p.schemeName,
        LSF: p.lsf,
        adjustment: p.adjustment,
        fallback: p.fallback,
        levels_hit: p.levelsHit,
        closed_fraction: p.closedFraction,
      })),
      adaptive_leverage_status: b.exits.health(),
    };
  });
  return {
    status: 'ok',
    venue,
    market_time: new Date(status.ts).toISOString(),
    events_processed: status.stats.eventsProcessed,
    dropped_events: droppedEvents(),
    equity: status.account.equity,
    net_delta: status.netDeltaUsd,
    gross_notional: status.grossNotionalUsd,
    open_pairs: status.openPairs,
    risk: risk ? { level: risk.riskLevel, action: risk.action, health_ratio: risk.healthRatio, time_to_liquidation_ms: risk.timeToLiquidationMs, var_1d_95: portfolio!.metrics() } : null,
    bots: botDocs,
    adaptive_leverage_status: botDocs[0]?.adaptive_leverage_status ?? null,
  };
}
