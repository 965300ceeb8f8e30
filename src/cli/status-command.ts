import { utcDay } from '../core/utc-day.js';
import type { AllocationTierConfig } from '../risk/allocation-tier.js';
import { storedAllocationTier } from '../engine/allocation-reader.js';
import { DEFAULT_CAPITAL_SHARE } from '../risk/capital-share-cap.js';
import { formatUsd } from '../engine/status-line.js';
import { leverageText } from '../report/figure-text.js';
import { EXIT_OK, type CliIo } from './cli-io.js';
import { openExisting } from './orders-command.js';
import type { Store } from '../store/store.js';
import { formatExecutionMetrics, formatPhaseSuccess, loadExecutionMetrics, loadExecutionTotal } from '../engine/execution-metrics-loader.js';
import type { LedgerTotalsReader } from '../engine/ledger-totals.js';

/** Sizes and prices as people read them: at most 8 significant digits, no float noise (0.30000000000000004 → 0.3). */
export const readable = (v: number): string => String(Number(v.toPrecision(8)));
import { DEFAULT_PHASES, type Phases } from '../sizing/phases.js';
import { actionTime } from './control-commands.js';

/**
 * Every bot's state from SQLite. `allTimeExecution: false` skips the all-time execution metrics
 * (they read every fill and order): the status API serves this every second to the dashboard.
 * Every other read is bounded (latest rows, today's range, open orders and pairs, by index);
 * the all-time count of closed pairs comes from `totals` when the caller keeps them (the status
 * API), else from one count over the index.
 */
export function collectStatus(store: Store, opts: { readonly allTimeExecution?: boolean; readonly phases?: Phases; readonly now?: number; readonly allocation?: AllocationTierConfig; readonly capitalShare?: number; readonly totals?: LedgerTotalsReader } = {}) {
  const allTimeExecution = opts.allTimeExecution ?? true;
  return store.bots.list().map((b) => {
      const day = utcDay(b.lastMarketTs ?? b.updatedTs);
      const positions = store.positions.list(b.id, b.venue).filter((p) => p.size !== 0);
      const marks = new Map(store.snapshots.marks(b.venue).map((m) => [m.symbol, m.price]));
      return {
        ...b,
        day,
        today: store.dailyVolume.get(b.id, day),
        /** The phase's daily stops (seed 003's tracker): volume target and max trades. */
        dailyLimits: (() => {
          const p = (opts.phases ?? DEFAULT_PHASES)[store.phases.get(b.id)?.phase ?? 1];
          return { volumeTargetUsd: p.dailyVolumeTargetUsd, maxTrades: p.maxTradesPerDay, trades: store.dailyVolume.tradeKeys(b.id, day).length };
        })(),
        positions: positions.map((p) => ({ ...p, mark: marks.get(p.symbol) ?? null, notional: p.size * (marks.get(p.symbol) ?? p.entryPrice) })),
        openPairs: store.roundTrips.active(b.id),
        // Only what is live: the dashboard asks for this every second, and weeks of orders add up.
        openOrders: store.orders.activeForBot(b.id, b.venue),
        closedPairs: opts.totals ? opts.totals.bot(b.id).closedPairs : (store.roundTrips.count(b.id)['closed'] ?? 0),
        equity: store.snapshots.latestEquity(b.id),
        phase: store.phases.get(b.id),
        halted: store.controls.halted(b.id),
        breakers: store.breakers.active(b.id, [day, day.slice(0, 7)]),
        riskAdjustments: store.riskAdjustments.recent(b.id, 3),
        /** How often the last 50 recalculations sat at a bound (floor, cap, defensive): a miscalibrated PnL coefficient shows here. */
        multiplierBounds: (() => {
          const recent = store.riskAdjustments.recent(b.id, 50);
          const count = (k: string): number => recent.filter((a) => a.inputs['bound'] === k).length;
          return { recalculations: recent.length, floor: count('floor'), cap: count('cap'), defensive: count('defensive') };
        })(),
        manualInterventions: store.controls.interventions(b.id, 5),
        /** The latest rebalances queued by `dnbot rebalance` and what became of them. */
        rebalances: store.controls.rebalances(b.id, 3),
        hedges: (() => {
          const ratios = store.events
            .recent(500, 'hedge_effectiveness')
            .filter((e) => e.botId === b.id)
            .slice(0, 20)
            .map((e) => Number(e.data['ratio']));
          return { count: ratios.length, meanEffectiveness: ratios.length > 0 ? ratios.reduce((x, y) => x + y, 0) / ratios.length : null };
        })(),
        lastRefusal: store.events.recent(200, 'entry_refused').find((e) => e.botId === b.id) ?? null,
        /** The portfolio monitor's latest evaluation on this venue: level, 1-day VaR and how it was made, the pair's regime. */
        risk: (() => {
          const r = store.riskSnapshots.latest(b.venue);
          if (!r) return null;
          const m = (r.report['metrics'] ?? {}) as { var1dMethod?: string | null; dynamics?: { long: string; short: string; correlation: number; longRunCorrelation: number; regime: string; hedgeRatio: number } | null };
          return { ts: r.ts, level: r.riskLevel, var1d95Usd: r.var1d95, var1dMethod: m.var1dMethod ?? null, dynamics: m.dynamics ?? null };
        })(),
        tier: { ...storedAllocationTier(store, b.id, day, opts.allocation), capitalShare: opts.capitalShare ?? DEFAULT_CAPITAL_SHARE },
        /** The latest over-allocation reduction (seed 001), if any. */
        lastOverAllocation: store.events.recent(200, 'over_allocation').find((e) => e.botId === b.id) ?? null,
        // Execution metrics of the status day and of all time (src/metrics).
        execution: (() => {
          const from = Date.parse(`${day}T00:00:00Z`);
          const today = loadExecutionTotal(store, { botId: b.id, fromTs: from, toTs: from + 86_400_000 });
          if (!allTimeExecution) return { today, allTime: null, phaseCriteria: null };
          // The phase gate is the one `dnbot phase status` shows: same phases, same "now".
          const gateTs = actionTime(store, b.id, opts.now ?? b.lastMarketTs ?? b.updatedTs);
          const all = loadExecutionMetrics(store, { botId: b.id, fromTs: 0, toTs: Number.MAX_SAFE_INTEGER, gateTs, ...(opts.phases ? { phases: opts.phases } : {}) });
          return { today, allTime: all.total, phaseCriteria: all.phase };
        })(),
        exitPlans: store.exitPlans.active(b.id).map((p) => ({ ...p, events: store.exitPlans.events(p.pairId).filter((e) => e.kind !== 'plan') })),
      };
    });
}

/** `dnbot status`: bots, positions, open pairs, open orders, the day's volume and PnL, from SQLite. */
export function statusCommand(f: { db: string; json?: boolean }, io: CliIo, ctx: { readonly phases: Phases; readonly now: number; readonly allocation?: AllocationTierConfig; readonly capitalShare?: number }): number {
  const store = openExisting(f.db);
  try {
    const bots = collectStatus(store, { phases: ctx.phases, now: ctx.now, ...(ctx.allocation ? { allocation: ctx.allocation } : {}), ...(ctx.capitalShare !== undefined ? { capitalShare: ctx.capitalShare } : {}) });
    if (f.json) {
      io.out(JSON.stringify({ bots }));
      return EXIT_OK;
    }
    if (bots.length === 0) io.out('no bots in this database');
    for (const b of bots) {
      io.out(`bot ${b.id} (${b.strategy} on ${b.venue}): ${b.status}, last market time ${b.lastMarketTs ? new Date(b.lastMarketTs).toISOString() : '-'}, risk multiplier ${b.currentRiskMultiplier.toFixed(3)}`);
      if (b.equity) io.out(`  equity ${formatUsd(b.equity.equity)}  collateral ${formatUsd(b.equity.collateral)}  net delta ${formatUsd(b.equity.netDelta)}  gross ${formatUsd(b.equity.grossNotional)}`);
      io.out(`  ${b.day} (UTC): volume ${formatUsd(b.today.volumeUsd)} of ${formatUsd(b.dailyLimits.volumeTargetUsd)}, ${b.dailyLimits.trades} of max ${b.dailyLimits.maxTrades} trades (pair legs opened or closed; ${b.today.fills} fills), fees ${formatUsd(b.today.feesUsd)}, trading PnL ${formatUsd(b.today.realizedPnl - b.today.feesUsd)} (fills' PnL net of fees); ${b.closedPairs} pairs closed in all`);
      io.out(
        `  phase ${b.phase?.phase ?? '-'}${b.phase ? ` since ${new Date(b.phase.sinceTs).toISOString()}` : ''}; entries ${b.halted ? `HALTED (${b.halted})` : 'allowed'}; ` +
          `breakers: ${b.breakers.length === 0 ? 'none tripped' : b.breakers.map((x) => x.reason).join('; ')}`,
      );
      io.out(
        `  allocation tier ${b.tier.tier} (this bot's margin ≤ ${(b.tier.limit * 100).toFixed(0)}% of equity, all bots' ≤ ${(b.tier.totalLimit * 100).toFixed(0)}% (total leveraged assets), each position's margin ≤ ${(b.tier.limit * b.tier.capitalShare * 100).toFixed(1)}% (${(b.tier.capitalShare * 100).toFixed(0)}% of available capital); win rate last 50 ${b.tier.winRate === null ? 'n/a' : `${(b.tier.winRate * 100).toFixed(0)}%`}, month to date ${(b.tier.monthlyReturn * 100).toFixed(2)}%)` +
          (b.lastRefusal ? `; last entry refused by ${String(b.lastRefusal.data['check'])}: ${String(b.lastRefusal.data['reason'])}` : ''),
      );
      if (b.lastOverAllocation) io.out(`  over-allocation reduced at ${new Date(b.lastOverAllocation.ts).toISOString()}: ${String(b.lastOverAllocation.data['reason'])}`);
      const { today, allTime, phaseCriteria } = b.execution;
      const lines = [...formatExecutionMetrics(`  execution ${b.day}`, today), ...(allTime ? formatExecutionMetrics('  execution all time', allTime) : []), ...(phaseCriteria ? [`  ${formatPhaseSuccess(phaseCriteria)}`] : [])];
      for (const line of lines) io.out(line);
      if (b.risk) {
        const d = b.risk.dynamics;
        io.out(
          `  risk at ${new Date(b.risk.ts).toISOString()}: level ${b.risk.level.toUpperCase()}, 1-day 95% VaR ${b.risk.var1d95Usd === null ? 'n/a' : formatUsd(b.risk.var1d95Usd)}` +
            `${b.risk.var1dMethod === 'square-root-of-time' ? ' (SCALED BY √t: too little history for 1-day windows)' : b.risk.var1dMethod === 'overlapping-sum' ? ' (overlapping 1-day windows)' : ''}` +
            (d ? `; ${d.long}/${d.short} regime ${d.regime.toUpperCase()}, ρ ${d.correlation.toFixed(2)} (long-run ${d.longRunCorrelation.toFixed(2)}), hedge ratio ${d.hedgeRatio.toFixed(3)}` : ''),
        );
      }
      if (b.hedges.count > 0) io.out(`  hedges: last ${b.hedges.count} removed on average ${((b.hedges.meanEffectiveness ?? 0) * 100).toFixed(0)}% of the delta deviation`);
      const mb = b.multiplierBounds;
      if (mb.recalculations > 0) {
        io.out(`  risk multiplier at a bound in ${mb.floor + mb.cap + mb.defensive} of the last ${mb.recalculations} recalculations (floor ${mb.floor}, cap ${mb.cap}, defensive ${mb.defensive}); risk.multiplier.pnlCoefficient scales the PnL term`);
      }
      for (const a of b.riskAdjustments) {
        io.out(`  risk multiplier ${a.previousMultiplier.toFixed(3)} → ${a.multiplier.toFixed(3)} at ${new Date(a.ts).toISOString()} (${a.trigger}: signal ${a.signalStrength.toFixed(2)}, confidence ${a.confidence.toFixed(2)}, avg PnL last 50 ${a.avgPnlLast50 === null ? 'n/a' : a.avgPnlLast50.toFixed(3)})`);
      }
      io.out(`  positions: ${b.positions.length === 0 ? 'flat' : b.positions.map((p) => `${p.symbol} ${readable(p.size)} @ ${readable(p.entryPrice)} (${formatUsd(p.notional)})`).join(', ')}`);
      io.out(`  open pairs: ${b.openPairs.length === 0 ? 'none' : b.openPairs.map((p) => `${p.id} ${p.status} long ${p.longSymbol} short ${p.shortSymbol} ${formatUsd(p.targetNotional)}/leg`).join('; ')}`);
      for (const r of b.rebalances) {
        io.out(`  rebalance #${r.id} queued ${new Date(r.ts).toISOString()}: ${r.status.toUpperCase()}${r.pairId ? ` on ${r.pairId}` : ''} to ${Object.entries(r.targets).map(([s, v]) => `${s} ${readable(v)}`).join(', ')}${r.outcome ? `: ${r.outcome}` : ''}`);
      }
      for (const p of b.exitPlans) {
        const pct = (v: number): string => `${(v * 100).toFixed(3)}%`;
        io.out(
          `  ladder ${p.pairId} (${p.mode}${p.fallback ? ', fallback' : ''}, ${leverageText(p.leverage)}, LSF ${p.lsf.toFixed(3)}, adj ${p.adjustment.toFixed(3)}): ` +
            `TP1 ${pct(p.tp1)} TP2 ${pct(p.tp2)} TP3 ${pct(p.tp3)} SL ${pct(p.sl)}, ${p.schemeName} [${p.harvestScheme.join(', ')}]; ` +
            `${p.levelsHit} level(s) hit, ${(p.closedFraction * 100).toFixed(0)}% harvested`,
        );
        for (const e of p.events) {
          io.out(`    ${new Date(e.ts).toISOString()} ${e.kind}${e.level ? ` ${e.level}` : ''}${e.pairReturn !== null ? ` at return ${pct(e.pairReturn)}` : ''}${e.fillSymbol ? ` ${e.fillSymbol} ${readable(e.fillSize ?? 0)} @ ${readable(e.fillPrice ?? 0)}` : ''}`);
        }
      }
      io.out(`  open orders: ${b.openOrders.length === 0 ? 'none' : b.openOrders.map((o) => `${o.clientOrderId} ${o.side} ${readable(o.size)} ${o.symbol} @ ${o.price === null || o.price === undefined ? 'mkt' : readable(o.price)} ${o.status}`).join('; ')}`);
    }
    return EXIT_OK;
  } finally {
    store.close();
  }
}
