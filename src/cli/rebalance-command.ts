import ms from 'ms';
import { ConfigError, ErrorCodes } from '../core/errors.js';
import { hedgeBands } from '../hedging/hedge-config.js';
import { hedgeRequirements } from '../hedging/hedge-requirements.js';
import { parseRebalanceTargets, planRebalance, type RebalanceTrade } from '../hedging/rebalance-plan.js';
import { pairRebalanceTargets, REBALANCE_TTL_MS } from '../hedging/rebalance-request.js';
import { formatUsd } from '../engine/status-line.js';
import { CONTROL_VERSION } from '../store/control-repository.js';
import type { Store } from '../store/store.js';
import { holderAliveOnThisHost, WriterLock, type HolderAlive } from '../store/writer-lock.js';
import { EXIT_OK, type CliIo } from './cli-io.js';
import type { DnbotConfig } from './config-schema.js';
import { actionTime, requireBot } from './control-commands.js';
import { operatorTransaction } from './operator-transaction.js';
import { parseDuration } from './run-flags.js';
import { readable } from './status-command.js';

export interface RebalanceFlags {
  readonly target?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
  /** The bot whose pair is rebalanced (default: the only one). */
  readonly bot?: string;
  /** Confirms sending on a live venue (real orders, real money), as `dnbot run --live` does. */
  readonly live?: boolean;
  /** How long the queued request may wait to be started (`10m`, `2h`; default {@link REBALANCE_TTL_MS}). */
  readonly ttl?: string;
}

/** The shortest `--ttl`: the bot looks at its queue every 5 s of market time. */
const MIN_TTL_MS = 10_000;

/** Where and when the command runs: the database's path (for messages), the wall, who holds the database. */
export interface RebalanceEnv {
  readonly dbPath: string;
  readonly now: number;
  /** Whether the process holding the database still runs (default: checked on this host). */
  readonly alive?: HolderAlive;
}

type Trade = Pick<RebalanceTrade, 'market' | 'side' | 'size' | 'reduceOnly' | 'notionalUsd'>;

/** Venues trading on paper: simulated, replayed, or a real venue's books with the paper engine. */
const isPaperVenue = (venue: string): boolean => venue === 'sim' || venue === 'replay' || venue === 'paper' || venue.endsWith('-paper');

/**
 * The book as SQLite holds it: net size per symbol over the bots asked for (every bot by default),
 * last marks, instruments, and the account's equity (one account: the latest snapshot, whichever
 * bot wrote it, never a sum over bots that each record the same account).
 */
function bookFromStore(store: Store, cfg: DnbotConfig, botId: string | null) {
  const all = store.bots.list();
  const bots = botId === null ? all : all.filter((b) => b.id === botId);
  const venue = bots[0]?.venue ?? cfg.venue;
  const instruments = store.instruments.list(venue);
  const marks = new Map(store.snapshots.marks(venue).map((m) => [m.symbol, m.price]));
  const net = new Map<string, number>();
  for (const b of bots) for (const p of store.positions.list(b.id, venue)) net.set(p.symbol, (net.get(p.symbol) ?? 0) + p.size);
  const latest = all.map((b) => store.snapshots.latestEquity(b.id)).reduce<{ ts: number; equity: number } | null>((a, e) => (e && (a === null || e.ts > a.ts) ? e : a), null);
  const equity = latest?.equity ?? 0;
  const markets = [...instruments.values()].flatMap((inst) => {
    const mark = marks.get(inst.symbol);
    return mark === undefined ? [] : [{ symbol: inst.symbol, size: net.get(inst.symbol) ?? 0, mark, instrument: inst }];
  });
  return { venue, markets, equity };
}

/**
 * `dnbot rebalance`: the trades that bring the book to target (seed 002's `rebalance_portfolio`).
 * With `--target SYMBOL=FRACTION,…` each market's notional goes to that share of equity; without
 * it, the hedging engine's trades to `portfolio.hedging.targetDeltaUsd` inside its band.
 * `--dry-run` prints them. Without it the trades are queued for the running bot, which sends them
 * through its own order manager as a resize of its open pair (see {@link pairRebalanceTargets});
 * this command never trades by itself. A live venue needs `--live`.
 * @throws ConfigError (exit 2) naming `--target…`, `--bot`, `--db` (no bot running) or `--live`.
 */
export function rebalanceCommand(store: Store, cfg: DnbotConfig, io: CliIo, f: RebalanceFlags, env: RebalanceEnv): number {
  if (f.ttl !== undefined && f.dryRun) throw new ConfigError('--ttl', 'a dry run queues nothing: --ttl is for a queued request', ErrorCodes.CLI_USAGE);
  const ttlMs = f.ttl === undefined ? REBALANCE_TTL_MS : parseDuration(f.ttl, '--ttl');
  if (ttlMs < MIN_TTL_MS) throw new ConfigError('--ttl', `at least 10s (the bot looks at its queue every 5 s of market time), got "${f.ttl}"`, ErrorCodes.CLI_USAGE);
  const botId = f.dryRun && f.bot === undefined ? null : requireBot(store, f.bot);
  const { venue, markets, equity } = bookFromStore(store, cfg, botId);
  let trades: readonly Trade[];
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
  if (f.dryRun) {
    if (f.json) io.out(JSON.stringify({ venue, dryRun: true, trades, notes }));
    else printPlan(io, `rebalance (${venue}, dry run) ${summary}`, trades, notes);
    return EXIT_OK;
  }
  return queue(store, cfg, io, f, env, { botId: botId!, venue, markets, trades, notes, summary, ttlMs });
}

function printPlan(io: CliIo, title: string, trades: readonly Trade[], notes: readonly string[]): void {
  io.out(title);
  if (trades.length === 0) io.out('  no trades: the book is at target');
  for (const t of trades) io.out(`  ${t.side} ${readable(t.size)} ${t.market} (${formatUsd(t.notionalUsd)})${t.reduceOnly ? ' reduce-only' : ''}`);
  for (const n of notes) io.out(`  note: ${n}`);
}

/**
 * Queues the plan for the running bot: checked first against the bot's open pair as SQLite holds
 * it (the bot checks again when it takes the request up), refused on a live venue without `--live`.
 */
function queue(
  store: Store,
  cfg: DnbotConfig,
  io: CliIo,
  f: RebalanceFlags,
  env: RebalanceEnv,
  p: { botId: string; venue: string; markets: readonly { symbol: string; size: number; mark: number; instrument: { lotSize: number; minSize: number; minNotional: number } }[]; trades: readonly Trade[]; notes: readonly string[]; summary: string; ttlMs: number },
): number {
  const usage = (field: string, msg: string): ConfigError => new ConfigError(field, msg, ErrorCodes.CLI_USAGE);
  const holder = new WriterLock({ db: store.db, path: env.dbPath, wallNow: env.now }).holder();
  if (holder === null || !(env.alive ?? holderAliveOnThisHost)(holder)) {
    throw usage('--db', `no bot is running on ${env.dbPath}: a rebalance is sent by the running bot through its own order manager, never by this command beside it; start the bot (dnbot run --db ${env.dbPath}), or add --dry-run to print the trades`);
  }
  // The process holding the database may run other bots: one that stopped cleanly is not among them.
  if (store.bots.get(p.botId)?.status === 'stopped') {
    throw usage('--bot', `bot ${p.botId} is stopped: the process holding ${env.dbPath} does not run it, and a rebalance is sent by the bot itself; start it, or name a running bot`);
  }
  const title = `rebalance (${p.venue}, bot ${p.botId}) ${p.summary}`;
  if (p.trades.length === 0) {
    if (!f.json) printPlan(io, title, p.trades, p.notes);
    else io.out(JSON.stringify({ venue: p.venue, dryRun: false, botId: p.botId, queued: null, trades: [], notes: p.notes }));
    return EXIT_OK;
  }
  const pair = store.roundTrips.active(p.botId)[0];
  if (!pair || pair.status !== 'open') throw usage('--bot', `bot ${p.botId} has no open pair${pair ? ` (pair ${pair.id} is ${pair.status})` : ''}: a rebalance resizes the running pair`);
  // Signed leg sizes after the trades, as printed: what the bot is asked to bring the legs to.
  const bySymbol = new Map(p.markets.map((m) => [m.symbol, m]));
  const targets = new Map<string, number>();
  for (const t of p.trades) {
    const from = targets.get(t.market) ?? bySymbol.get(t.market)?.size ?? 0;
    targets.set(t.market, from + (t.side === 'buy' ? t.size : -t.size));
  }
  // Beta-adjusted pairs are hedged at the bot's live DCC ratio: only the bot can judge their band.
  if (!cfg.portfolio.hedging.betaAdjusted) {
    const inst = (s: string) => bySymbol.get(s)?.instrument;
    const check = pairRebalanceTargets(
      {
        id: pair.id,
        longSymbol: pair.longSymbol,
        shortSymbol: pair.shortSymbol,
        targetNotional: pair.targetNotional,
        held: (s) => bySymbol.get(s)?.size ?? 0,
        mark: (s) => bySymbol.get(s)?.mark,
        lotSize: (s) => inst(s)?.lotSize ?? 1e-9,
        hedgeRatio: 1,
        imbalanceTolerance: cfg.execution.imbalanceTolerance,
        floorUsd: Math.max(inst(pair.longSymbol)?.minNotional ?? 0, inst(pair.shortSymbol)?.minNotional ?? 0),
        driftShare: cfg.execution.driftShare,
        minimums: (s) => ({ minSize: inst(s)?.minSize ?? 0, minNotional: inst(s)?.minNotional ?? 0 }),
      },
      targets,
    );
    if (!check.ok) throw usage(f.target === undefined && check.field.startsWith('--target') ? '--bot' : check.field, check.reason);
  }
  if (!isPaperVenue(p.venue) && f.live !== true) {
    if (!f.json) printPlan(io, title, p.trades, p.notes);
    throw usage('--live', `bot ${p.botId} trades real money on ${p.venue}: add --live to send these trades`);
  }
  const ts = actionTime(store, p.botId, env.now);
  const plan = { summary: p.summary, trades: p.trades, notes: p.notes, pairId: pair.id };
  const id = operatorTransaction(store, () => {
    const n = store.controls.queueRebalance({ botId: p.botId, ts, ttlMs: p.ttlMs, targets: Object.fromEntries(targets), plan });
    store.sequences.next(CONTROL_VERSION);
    store.events.record(ts, p.botId, 'rebalance_requested', { request: n, targets: Object.fromEntries(targets), pairId: pair.id, live: !isPaperVenue(p.venue), ttlMs: p.ttlMs });
    return n;
  });
  if (f.json) {
    io.out(JSON.stringify({ venue: p.venue, dryRun: false, botId: p.botId, queued: id, ttlMs: p.ttlMs, targets: Object.fromEntries(targets), trades: p.trades, notes: p.notes }));
    return EXIT_OK;
  }
  printPlan(io, title, p.trades, p.notes);
  io.out(`queued as rebalance #${id}: bot ${p.botId} works it on pair ${pair.id} within 5 s of market time (post-only, then IOC within the slippage cap, reduce-only), expired unsent if not started within ${ms(p.ttlMs)} (--ttl); dnbot status shows its outcome`);
  return EXIT_OK;
}
