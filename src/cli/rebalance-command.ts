import { ConfigError, ErrorCodes } from '../core/errors.js';
import { hedgeBands } from '../hedging/hedge-config.js';
import { hedgeRequirements } from '../hedging/hedge-requirements.js';
import { parseRebalanceTargets, planRebalance, type RebalanceTrade } from '../hedging/rebalance-plan.js';
import { formatUsd } from '../engine/status-line.js';
import type { Store } from '../store/store.js';
import { EXIT_OK, type CliIo } from './cli-io.js';
import type { DnbotConfig } from './config-schema.js';
import { readable } from './status-command.js';

export interface RebalanceFlags {
  readonly target?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

/** The book as SQLite holds it: net size per symbol over every bot, last marks, instruments, equity. */
function bookFromStore(store: Store, cfg: DnbotConfig) {
  const bots = store.bots.list();
  const venue = bots[0]?.venue ?? cfg.venue;
  const instruments = store.instruments.list(venue);
  const marks = new Map(store.snapshots.marks(venue).map((m) => [m.symbol, m.price]));
  const net = new Map<string, number>();
  for (const b of bots) for (const p of store.positions.list(b.id, venue)) net.set(p.symbol, (net.get(p.symbol) ?? 0) + p.size);
  const equity = bots.map((b) => store.snapshots.latestEquity(b.id)?.equity ?? 0).reduce((a, e) => a + e, 0);
  const markets = [...instruments.values()].flatMap((inst) => {
    const mark = marks.get(inst.symbol);
    return mark === undefined ? [] : [{ symbol: inst.symbol, size: net.get(inst.symbol) ?? 0, mark, instrument: inst }];
  });
  return { venue, markets, equity };
}

/**
 * `dnbot rebalance`: the trades that bring the book to target (seed 002's `rebalance_portfolio`).
 * With `--target SYMBOL=FRACTION,…` each market's notional goes to that share of equity; without
 * it, the hedging engine's trades to `portfolio.hedging.targetDeltaUsd` (delta-neutral by default)
 * inside its band. `--dry-run` prints them; sending is not offered (see the README: a running
 * pair's executor would trade a one-sided rebalance straight back into its band).
 * @throws ConfigError (exit 2) naming `--target…` or `--dry-run`.
 */
export function rebalanceCommand(store: Store, cfg: DnbotConfig, io: CliIo, f: RebalanceFlags): number {
  const { venue, markets, equity } = bookFromStore(store, cfg);
  let trades: readonly Pick<RebalanceTrade, 'market' | 'side' | 'size' | 'reduceOnly' | 'notionalUsd'>[];
  let notes: readonly string[];
  let summary: string;
  if (f.target !== undefined) {
    if (!(equity > 0)) throw new ConfigError('--target', 'targets are shares of equity, and this database has no equity yet', ErrorCodes.CLI_USAGE);
    const targets = parseRebalanceTargets(f.target, new Set(markets.map((m) => m.symbol)), equity, cfg.risk.limits);
    const plan = planRebalance(markets, targets, equity);
    trades = plan.trades;
    notes = plan.skipped.map((s) => `${s.market}: ${s.reason}`);
    summary = `to target (${[...targets].map(([s, v]) => `${s} ${(v * 100).toFixed(1)}%`).join(', ')} of equity ${formatUsd(equity)}): gross ${formatUsd(plan.grossBeforeUsd)} → ${formatUsd(plan.grossAfterUsd)}, net ${formatUsd(plan.netBeforeUsd)} → ${formatUsd(plan.netAfterUsd)}`;
  } else {
    const h = cfg.portfolio.hedging;
    const held = markets.filter((m) => m.size !== 0);
    const gross = held.reduce((a, m) => a + Math.abs(m.size * m.mark), 0);
    const req = hedgeRequirements({
      positions: held,
      hedgeInstruments: held.map((m) => ({ symbol: m.symbol, mark: m.mark, instrument: { ...m.instrument } })),
      target: h.targetDeltaUsd,
      toleranceUsd: hedgeBands(h, gross).toleranceUsd,
      maxSlippageBps: h.maxSlippageBps,
      allowOpening: h.allowOpening,
    });
    trades = req.requiredTrades;
    notes = req.notes;
    summary = `to delta ${formatUsd(req.targetDelta)} ± ${formatUsd(req.toleranceUsd)} (portfolio.hedging): delta ${formatUsd(req.currentDelta)} → ${formatUsd(req.expectedDeltaAfter)}`;
  }
  if (!f.dryRun) {
    throw new ConfigError('--dry-run', 'only a dry run is offered: sending the trades would fight the running pairs\' own hedging (see the README); add --dry-run to print them', ErrorCodes.CLI_USAGE);
  }
  if (f.json) {
    io.out(JSON.stringify({ venue, dryRun: true, trades, notes }));
    return EXIT_OK;
  }
  io.out(`rebalance (${venue}, dry run) ${summary}`);
  if (trades.length === 0) io.out('  no trades: the book is at target');
  for (const t of trades) io.out(`  ${t.side} ${readable(t.size)} ${t.market} (${formatUsd(t.notionalUsd)})${t.reduceOnly ? ' reduce-only' : ''}`);
  for (const n of notes) io.out(`  note: ${n}`);
  return EXIT_OK;
}
