import { isRecordingFile, RecordedStreamSource } from '../../adapters/replay/recorded-stream.js';
import { PaperVenue } from '../../adapters/paper/paper-venue.js';
import { loadCandleTable, symbolFromFileName } from '../../adapters/replay/candle-file.js';
import { ReplaySource } from '../../adapters/replay/replay-source.js';
import { SimMarket } from '../../adapters/sim/sim-market.js';
import { SimClock, awaitOnSimClock, followWall, type Clock } from '../core/clock.js';
import { ConfigError, DnbotError, ErrorCodes } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Instrument, Position } from '../core/types.js';
import { hasVenueAlerts, isLiveSource, type FeedHealth, type LiveMarketSource, type MarketDataSource, type Venue, type VenueBundle } from '../core/venue.js';
import type { FillApplied } from '../execution/fill-ledger.js';
import { OrderManager } from '../execution/order-manager.js';
import { VenueLimiter } from '../core/venue-limiter.js';
import { DnPairBot } from '../engine/dn-pair-bot.js';
import { MarketState } from '../engine/market-state.js';
import { PortfolioMonitor } from '../engine/portfolio-monitor.js';
import { Runtime, type StatusSnapshot } from '../engine/runtime.js';
import { latestMarketTs } from '../store/market-time-floor.js';
import { placeReplay } from './replay-resume.js';
import { Store } from '../store/store.js';
import type { DnbotConfig } from './config-schema.js';
import { isRealVenue, openRealVenue, staleFeedReason } from './open-venue.js';
import { orderIdPrefix } from './order-id-prefix.js';
import { venueUnavailable } from './venue-unavailable.js';

export interface ReplayInput {
  readonly path: string;
  readonly symbol?: string;
}

export interface ComposeOptions {
  readonly config: DnbotConfig;
  readonly logger: Logger;
  readonly wall: Clock;
  readonly replay?: readonly ReplayInput[];
  readonly onStatus?: (s: StatusSnapshot) => void;
  /** Wraps the market data source (tests inject malformed events through this). */
  readonly wrapSource?: (s: MarketDataSource) => MarketDataSource;
  /** Where venue keys are read from (default: process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Told the market clock as soon as it exists (log lines are stamped with it). */
  readonly onClock?: (clock: Clock) => void;
  /** Test seam: opens a real venue instead of loading its adapter. */
  readonly openVenue?: typeof openRealVenue;
}

export interface Composed {
  readonly runtime: Runtime;
  readonly store: Store;
  /** The paper engine; null in live mode. */
  readonly paper: PaperVenue | null;
  readonly orders: OrderManager;
  readonly bots: readonly DnPairBot[];
  readonly source: MarketDataSource | LiveMarketSource;
  readonly startingEquity: number;
  readonly venueName: string;
  readonly portfolio: PortfolioMonitor;
  /** Live streams' state (empty offline). */
  readonly feedHealth: () => readonly FeedHealth[];
  /** Each bot's status as the previous run left it (absent: first run on this database). */
  readonly previousBotStatus: ReadonlyMap<string, string>;
  /** Latest books and marks the bots see. */
  readonly market: MarketState;
}

/** Lets the replay's `adverse` path read the paper account, which is built after the source. */
interface ExposureHolder {
  paper: PaperVenue | null;
}

/** The market to run on, and where a candle replay's range starts when it resumed after its floor. */
interface BuiltSource {
  readonly source: MarketDataSource;
  readonly rangeStartTs: number;
  readonly resumedAfterTs: number | null;
}

function buildSource(cfg: DnbotConfig, store: Store, venueName: string, replay: readonly ReplayInput[] | undefined, holder: ExposureHolder): BuiltSource {
  const plain = (source: MarketDataSource): BuiltSource => ({ source, rangeStartTs: source.startTs, resumedAfterTs: null });
  if (cfg.venue === 'replay') {
    // A `dnbot record` file replays its recorded books and trades as they came.
    if (replay?.length === 1 && isRecordingFile(replay[0]!.path)) return plain(new RecordedStreamSource(replay[0]!.path));
    if (!replay || replay.length < 2) throw new ConfigError('--data', 'replay needs at least two candle files (one per pair leg)');
    const series = replay.map((r) => ({ symbol: r.symbol ?? symbolFromFileName(r.path), candles: loadCandleTable(r.path) }));
    const make = (startTs?: number): ReplaySource =>
      new ReplaySource({ series, config: cfg.replay, seed: cfg.seed, startTs, exposure: (symbol) => holder.paper?.exposure(symbol) });
    // Market time never goes back on a database: resume after its latest stamp, or refuse.
    return placeReplay({ asked: make(), from: make, floorTs: latestMarketTs(store.db, venueName), durationMs: cfg.run.durationMs, db: cfg.db });
  }
  // Resume the simulated market after the last run on this database: after the latest time
  // anything was stamped with, not the last periodic snapshot, so market time never goes back.
  // Marks are optional: a run killed before its first periodic snapshot with marks (the first
  // comes a minute of market time in) has still written orders and fills that must stay behind
  // the resumed market; symbols without a stored mark start at their configured price.
  const lastTs = latestMarketTs(store.db, venueName);
  const marks = store.snapshots.marks(venueName);
  if (lastTs > 0) {
    return plain(new SimMarket({
      config: cfg.sim,
      // A fresh stream for the continuation, still a function of the seed and the resume point.
      seed: (cfg.seed ^ Math.floor(lastTs / 1000)) | 0,
      // The next step of the book grid strictly after it (bars stay on whole minutes).
      startTs: (Math.floor(lastTs / cfg.sim.bookIntervalMs) + 1) * cfg.sim.bookIntervalMs,
      startPrices: Object.fromEntries(marks.map((m) => [m.symbol, m.price])),
    }));
  }
  return plain(new SimMarket({ config: cfg.sim, seed: cfg.seed }));
}

/** Live-data clock step: how often the market clock catches up with the wall when streams are quiet. */
const FOLLOW_WALL_MS = 50;

function checkSymbols(cfg: DnbotConfig, instruments: readonly Instrument[]): void {
  const known = new Set(instruments.map((i) => i.symbol));
  cfg.bots.forEach((b, i) => {
    for (const leg of ['legA', 'legB'] as const) {
      if (!known.has(b.dnPair[leg])) {
        throw new ConfigError(`bots.${i}.dnPair.${leg}`, `unknown symbol ${b.dnPair[leg]}; this market has ${[...known].join(', ')}`);
      }
    }
  });
}

/** The composition root: wires the store, market, paper venue, order manager, bots and runtime. */
export async function compose(o: ComposeOptions): Promise<Composed> {
  const cfg = o.config;
  const store = Store.open(cfg.db);
  let bundle: VenueBundle | null = null;
  let stopFollowing = (): void => undefined;
  try {
    // One process trades on a database: a second one is refused (exit 2) naming the holder.
    const lock = store.acquireWriter(o.wall.now());
    if (lock.takenOverFrom) o.logger.warn({ ...lock.takenOverFrom }, 'database lock left by a process that no longer runs: taken over');
    const venueCfg = cfg.venue;
    if (isRealVenue(venueCfg)) {
      try {
        bundle = await (o.openVenue ?? openRealVenue)({ ...cfg, venue: venueCfg }, o.logger, o.wall, o.env ?? process.env, store.venueState.scoped(venueCfg, () => o.wall.now()));
      } catch (err) {
        throw venueUnavailable(venueCfg, err);
      }
    }
    const live = cfg.mode === 'live';
    if (live && !bundle?.live) throw new ConfigError('mode', `live trading is not available on ${cfg.venue}`);
    // Paper fills on a real venue's data are kept apart from that venue's live account.
    const venueName = bundle?.live ? bundle.live.name : bundle ? `${cfg.venue}-paper` : cfg.venue;
    const holder: ExposureHolder = { paper: null };
    const built = bundle ? null : buildSource(cfg, store, venueName, o.replay, holder);
    let source: MarketDataSource | LiveMarketSource = bundle ? bundle.source : built!.source;
    checkSymbols(cfg, source.instruments);
    if (o.wrapSource && !isLiveSource(source)) source = o.wrapSource(source);
    // Live data: the market clock follows the wall, so timers fire while streams are quiet.
    const clock = new SimClock(bundle ? o.wall.now() : source.startTs);
    if (bundle) stopFollowing = followWall(clock, o.wall, FOLLOW_WALL_MS);
    o.onClock?.(clock);
    if (built && built.resumedAfterTs !== null) {
      const resumed = { after: new Date(built.resumedAfterTs).toISOString(), from: new Date(source.startTs).toISOString(), rangeStart: new Date(built.rangeStartTs).toISOString() };
      o.logger.info(resumed, `replay resumed after the latest market time on ${cfg.db}: from ${resumed.from}`);
      store.events.record(clock.now(), null, 'replay_resumed', { ...resumed });
    }
    const paper = live ? null : openPaper(cfg, store, clock, source, venueName, o.logger);
    // Funding paid by earlier runs on this database; the paper engine counts this run's.
    const fundingBefore = store.snapshots.paperAccount(venueName)?.fundingPaid ?? 0;
    // With every fill and every snapshot: the collateral alone, not the account valued at marks.
    const savePaper = (ts: number): void => {
      if (paper) store.snapshots.savePaperAccount(venueName, { collateral: paper.collateral(), fundingPaid: fundingBefore + paper.fundingPaid() }, ts);
    };
    holder.paper = paper;
    const venue: Venue = paper ?? bundle!.live!;
    const instruments = new Map(source.instruments.map((i) => [i.symbol, i]));
    // Stored under the store's venue name so reports can read them back without the venue.
    store.instruments.save(source.instruments.map((i) => ({ ...i, venue: venueName })), clock.now());
    const limiter = new VenueLimiter({ clock, ratePerSecond: cfg.execution.rateLimit.perSecond, burst: cfg.execution.rateLimit.burst });
    // How each bot's last run ended (anything but 'stopped' means a crash or a kill), before this run marks it starting.
    const previousBotStatus = new Map(cfg.bots.flatMap((b) => {
      const r = store.bots.get(b.id);
      return r ? [[b.id, r.status] as const] : [];
    }));
    for (const b of cfg.bots) store.bots.ensure(b.id, b.strategy, venueName, clock.now());
    const orders = new OrderManager({
      clock,
      store,
      venue,
      limiter,
      logger: o.logger.child({ component: 'orders' }),
      instruments,
      idPrefix: orderIdPrefix({ store, botIds: cfg.bots.map((b) => b.id), realVenue: bundle !== null, seed: cfg.seed }),
      resolveDelayMs: cfg.execution.resolveDelayMs,
      // Collateral moves with every fill (fees, realised PnL): saved in the fill's transaction.
      ...(paper ? { persistWithFill: (a: FillApplied) => savePaper(a.fill.ts) } : {}),
      // An order can leave the process only on a live source: only there is its write-ahead row
      // committed on its own before it is sent. On a simulated or recorded market it goes to the
      // in-process paper venue and is committed with the batch that holds what it changed.
      commitBeforeSend: !(paper !== null && !isLiveSource(source)),
    });
    // Paper requests on recorded or simulated data settle on the market clock: drive it until
    // reconciliation is done. On live data the clock follows the wall by itself.
    const report = bundle ? await orders.reconcile() : await awaitOnSimClock(clock, orders.reconcile());
    store.events.record(clock.now(), null, 'reconciliation', { ...report });
    o.logger.info({ ...report }, 'reconciliation done');
    if (live && report.positionMismatches.length > 0) {
      // Real money: never trade on a book that disagrees with the venue.
      throw new DnbotError(ErrorCodes.RECONCILIATION_FAILED, `positions differ from the venue, refusing to trade: ${report.positionMismatches.join('; ')}`, { mismatches: report.positionMismatches });
    }
    if (bundle?.live && hasVenueAlerts(bundle.live)) {
      // The venue changed the account without an order of ours (a fill reversed or corrected):
      // journal it, and compare positions with the venue again so the operator sees any gap.
      bundle.live.onVenueAlert((a) => {
        o.logger.error({ kind: a.kind, symbol: a.symbol, ...a.data }, `venue alert: ${a.message}`);
        store.events.record(clock.now(), null, 'venue_alert', { kind: a.kind, message: a.message, symbol: a.symbol, ...a.data });
        orders.reconcile().then(
          (r) => {
            store.events.record(clock.now(), null, 'reconciliation', { ...r, after: a.kind });
            if (r.positionMismatches.length > 0) o.logger.error({ mismatches: r.positionMismatches }, 'positions differ from the venue after a venue alert');
          },
          (err: unknown) => o.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'reconciliation after a venue alert failed'),
        );
      });
    }
    const market = new MarketState();
    const initialAccount = await venue.account();
    let runtime: Runtime | null = null;
    let portfolioRef: PortfolioMonitor | null = null;
    const feedHealth = (): readonly FeedHealth[] => bundle?.source.feedHealth() ?? [];
    const bots: DnPairBot[] = cfg.bots.map(
      (b): DnPairBot =>
        new DnPairBot({
          id: b.id,
          venue: venueName,
          strategy: b.dnPair,
          baseNotionalUsd: b.baseNotionalUsd,
          risk: {
            safetyFactor: cfg.risk.safetyFactor,
            limits: cfg.risk.limits,
            capitalShare: cfg.risk.capitalShare,
            volatility: cfg.risk.volatility,
            flattenOnTrip: cfg.risk.lossLimits.flattenOnTrip,
          },
          controls: {
            phases: cfg.phases,
            phaseBreach: cfg.phaseBreach,
            lossLimits: cfg.risk.lossLimits,
            allocation: cfg.risk.allocation,
            multiplier: cfg.risk.multiplier,
          },
          exitBrain: cfg.exitBrain,
          execution: cfg.execution,
          clock,
          store,
          orders,
          market,
          logger: o.logger.child({ bot: b.id }),
          instruments,
          account: () => runtime?.currentAccount() ?? initialAccount,
          portfolioMetrics: () => portfolioRef?.metrics() ?? { var1d95Usd: null, correlationExposure: null },
          // portfolio.hedging.betaAdjusted: pairs are sized and kept at the DCC hedge ratio.
          ...(cfg.portfolio.hedging.betaAdjusted ? { hedgeRatio: (l: string, s: string) => portfolioRef?.hedgeRatio(l, s) ?? 1 } : {}),
          ...(bundle ? { feedPaused: () => staleFeedReason(feedHealth()) } : {}),
          // Seed 001's total leveraged assets: every bot on this account, each at its own leverage.
          accountMargin: (): number => bots.reduce((sum, other) => sum + other.marginInUse(), 0),
        }),
    );
    const history = source;
    for (const bot of bots) bot.warmUp((s) => history.history(s, b0Window(cfg)));
    orders.onChange((order, fill) => {
      for (const bot of bots) bot.onOrderChange(order, fill);
    });
    const portfolio = new PortfolioMonitor({
      store,
      clock,
      logger: o.logger.child({ component: 'portfolio' }),
      venue: venueName,
      instruments,
      bots,
      mark: (s) => market.mark(s),
      book: (s) => market.book(s),
      config: cfg.portfolio,
    });
    portfolioRef = portfolio;
    // A resumed replay keeps the end it was asked for: --duration counts from its first candle.
    const endTs = cfg.run.durationMs !== undefined ? (bundle ? clock.now() : built!.rangeStartTs) + cfg.run.durationMs : null;
    const opened = bundle;
    runtime = new Runtime({
      source,
      clock,
      wall: o.wall,
      venue,
      sinks: paper ? [paper] : [],
      orders,
      bots,
      market,
      store,
      logger: o.logger,
      speed: cfg.run.speed,
      endTs,
      statusIntervalMs: cfg.run.statusIntervalMs,
      snapshotIntervalMs: cfg.run.snapshotIntervalMs,
      ...(o.onStatus ? { onStatus: o.onStatus } : {}),
      portfolio,
      ...(paper ? { persistAccount: (_a: unknown, ts: number) => savePaper(ts) } : {}),
      ...(opened ? { onShutdown: () => closeBundle(opened, stopFollowing, o.logger) } : {}),
    });
    const startingEquity = initialAccount.equity;
    return { runtime, store, paper, orders, bots, source, startingEquity, venueName, portfolio, feedHealth, previousBotStatus, market };
  } catch (err) {
    if (bundle) await closeBundle(bundle, stopFollowing, o.logger);
    store.close();
    throw err;
  }
}

/** Live venues on the way out: cancel what rests (no orders left behind unattended), close streams. */
async function closeBundle(bundle: VenueBundle, stopFollowing: () => void, logger: Logger): Promise<void> {
  const step = async (what: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, `${what} failed`);
    }
  };
  if (bundle.live) {
    const live = bundle.live;
    await step('cancel-all on shutdown', () => live.cancelAll('shutdown'));
    await step('closing the live venue', () => live.close());
  }
  await step('closing market streams', () => bundle.source.close());
  stopFollowing();
}

/** The paper engine, restored from the last run on this database (positions, collateral). */
function openPaper(cfg: DnbotConfig, store: Store, clock: SimClock, source: MarketDataSource | LiveMarketSource, venueName: string, logger: Logger): PaperVenue {
  const ledger = new Map<string, number>();
  for (const bot of store.bots.list()) {
    for (const p of store.positions.list(bot.id, venueName)) ledger.set(p.symbol, (ledger.get(p.symbol) ?? 0) + p.size);
  }
  const entryOf = (symbol: string): number => {
    for (const bot of store.bots.list()) {
      const p = store.positions.get(bot.id, venueName, symbol);
      if (p && p.size !== 0) return p.entryPrice;
    }
    return 0;
  };
  const restoredPositions: Position[] = [...ledger].filter(([, s]) => s !== 0).map(([symbol, size]) => ({ symbol, size, entryPrice: entryOf(symbol), realizedPnl: 0 }));
  const collateral = store.snapshots.paperAccount(venueName)?.collateral ?? null;
  const paper = new PaperVenue({
    clock,
    instruments: source.instruments,
    config: cfg.paper,
    logger,
    name: venueName,
    // Ids unique per run on this database (fills are idempotent on trade ids), deterministic for a fresh one.
    idPrefix: `r${store.sequences.next(`run:${venueName}`)}-`,
    ...(collateral !== null ? { restore: { collateral, positions: restoredPositions } } : {}),
  });
  if (cfg.venue === 'sim') {
    // A resumed simulated market starts at the last marks: value restored positions at them.
    for (const m of store.snapshots.marks(venueName)) {
      paper.onMarketEvent({ kind: 'mark', ts: clock.now(), mark: { symbol: m.symbol, ts: clock.now(), markPrice: m.price, fundingRate: 0 } });
    }
  }
  return paper;
}

function b0Window(cfg: DnbotConfig): number {
  return Math.max(...cfg.bots.map((b) => b.dnPair.windowBars));
}
