import { drainMicrotasks, settle, type Clock, type SimClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { AccountState, MarketEvent } from '../core/types.js';
import { hasVenueMargin, isLiveSource, type LiveMarketSource, type MarketDataSource, type Venue, type VenueMarginView } from '../core/venue.js';
import type { OrderManager } from '../execution/order-manager.js';
import type { Store } from '../store/store.js';
import { WriteTurns } from '../store/write-turn.js';
import type { DnPairBot } from './dn-pair-bot.js';
import { MarketEventGuard } from './market-event-guard.js';
import type { ClosedBar, MarketState } from './market-state.js';
import { RunStats } from './run-stats.js';

/** Receives every sound market event before the strategy (the paper matching engine). */
export interface MarketEventSink {
  onMarketEvent(ev: MarketEvent): void;
  /**
   * Whether the print (trade event) `ev` would change nothing in the sink: the runtime may then
   * pass it over (see Runtime.passesOver). Absent, every print is fed to it.
   */
  ignoresPrint?(ev: MarketEvent): boolean;
}

export interface StatusSnapshot {
  readonly ts: number;
  readonly account: AccountState;
  readonly netDeltaUsd: number;
  readonly grossNotionalUsd: number;
  readonly openPairs: number;
  readonly stats: RunStats;
}

export interface RuntimeOptions {
  /** Pull-based (sim, replay) or push-fed by a live venue (its clock then follows wall time). */
  readonly source: MarketDataSource | LiveMarketSource;
  readonly clock: SimClock;
  /** Wall time: pacing for `--speed N` and the status-line cadence. */
  readonly wall: Clock;
  readonly venue: Venue;
  readonly sinks: readonly MarketEventSink[];
  readonly orders: OrderManager;
  readonly bots: readonly DnPairBot[];
  readonly market: MarketState;
  readonly store: Store;
  readonly logger: Logger;
  readonly speed: number | 'max';
  /** Stop once market time reaches this. */
  readonly endTs: number | null;
  readonly statusIntervalMs: number;
  readonly snapshotIntervalMs: number;
  readonly onStatus?: (s: StatusSnapshot) => void;
  /** Portfolio risk and the liquidation monitor, fed with bars and evaluated on its cadence. */
  readonly portfolio?: { onBar(closes: ReadonlyMap<string, number>): void; maybeEvaluate(account: AccountState, venueMargin?: VenueMarginView): unknown; isDue?(): boolean };
  /** Persists venue-side state a restart needs (paper collateral). */
  readonly persistAccount?: (a: AccountState, ts: number) => void;
  /** Runs last on shutdown, after state is written (live venues: cancel-all, close streams). */
  readonly onShutdown?: () => Promise<void>;
}

const ACCOUNT_REFRESH_MS = 1_000;
const DRAIN_LIMIT = 10_000;
/** Longest wall wait for a live event before housekeeping runs anyway. */
const LIVE_IDLE_MS = 250;
/** Longest wall time shutdown waits for in-flight live requests. */
const LIVE_DRAIN_MS = 15_000;
/** Wall time a sim or replay run groups its writes into one commit (see WriteBatch). */
const BATCH_WALL_MS = 100;
/**
 * At max speed the wall clock is read every this many events (a power of two): tens of
 * microseconds apart, far finer than the write batches and the status line need.
 */
const WALL_READ_EVERY = 32;

/**
 * The event loop: pull a market event, drop it if malformed, advance the market clock (firing
 * latency timers), feed the paper engine, then the bots; settle pending order work before the
 * next event so runs are deterministic. Stops at the end of data, at `endTs`, or on request.
 */
export class Runtime {
  readonly stats = new RunStats();
  readonly guard: MarketEventGuard;
  private readonly o: RuntimeOptions;
  private account: AccountState = { equity: 0, collateral: 0, freeCollateral: 0, initialMargin: 0, maintenanceMargin: 0 };
  private stopRequested = false;
  private state: 'starting' | 'running' | 'stopping' | 'stopped' = 'starting';
  private nextAccountTs = 0;
  private nextSnapshotTs = 0;
  private nextStatusWall = 0;
  private lastEventWall = 0;
  private batchWall = 0;
  /** Prints may be passed over (pulled sources: sim and replay; see {@link passesOver}). */
  private passPrints = false;
  /** Read the wall clock after every event (live and paced runs), else every WALL_READ_EVERY. */
  private wallEveryEvent = true;
  private eventsSinceWall = 0;
  private readonly turns: WriteTurns;
  /** The bots' summed exposure on every mark, reused (no object per event). */
  private readonly exposureSum = { net: 0, gross: 0 };
  /**
   * Lets order work run between timers and before housekeeping. A simulated or recorded market is
   * traded on the in-process paper venue, all promises on the market clock: a microtask drain does
   * the same work in the same order as a turn of the event loop, ~3 µs cheaper (~1k a simulated
   * day). A live source gets the turn, so I/O runs; every batch still gives the loop one anyway.
   */
  private readonly settleOrders: () => Promise<void>;

  constructor(opts: RuntimeOptions) {
    this.o = opts;
    this.settleOrders = isLiveSource(opts.source) ? settle : drainMicrotasks;
    this.turns = WriteTurns.of(opts.store.db);
    this.guard = new MarketEventGuard((reason, _ev, n) => {
      // Log the first few of each kind, then every 1000th, so garbage cannot flood the log.
      if (n <= 3 || n % 1000 === 0) opts.logger.warn({ reason, count: n }, 'dropped malformed market event');
    });
  }

  /** Wall seconds since the last market event was processed (0 before the first). */
  streamLagSeconds(): number {
    return this.lastEventWall === 0 ? 0 : Math.max(0, (this.o.wall.now() - this.lastEventWall) / 1000);
  }

  currentAccount(): AccountState {
    return this.account;
  }

  /** The venue's own margin (Drift), fetched only when the liquidation monitor is about to evaluate. */
  private async venueMarginIfDue(): Promise<VenueMarginView | undefined> {
    const { venue, portfolio, logger } = this.o;
    if (!portfolio?.isDue?.() || !hasVenueMargin(venue)) return undefined;
    try {
      return await venue.venueMargin();
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'venue margin unavailable; the liquidation monitor uses our margin model this time');
      return undefined;
    }
  }

  requestStop(): void {
    this.stopRequested = true;
    if (this.state === 'running') this.state = 'stopping';
  }

  /** Where the run is: `/ready` answers 200 only while `running`. */
  lifecycle(): 'starting' | 'running' | 'stopping' | 'stopped' {
    return this.state;
  }

  async refreshAccount(): Promise<AccountState> {
    this.account = await this.o.venue.account();
    return this.account;
  }

  async run(): Promise<void> {
    const o = this.o;
    await this.refreshAccount();
    const wallStart = o.wall.now();
    const marketStart = o.source.startTs;
    this.nextStatusWall = wallStart + o.statusIntervalMs;
    const src = o.source;
    const live = isLiveSource(src);
    this.wallEveryEvent = live || o.speed !== 'max';
    this.passPrints = !live;
    const batch = o.store.batching;
    if (!live) {
      batch.start(wallStart);
      this.batchWall = wallStart;
    } else o.store.checkpoints.startLive(wallStart);
    this.state = 'running';
    try {
      try {
        await this.loop(src, live, wallStart, marketStart);
      } catch (err) {
        // Whatever stopped the loop, resting orders are still cancelled and state written.
        this.state = 'stopping';
        o.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'stopping on an error');
        await this.shutdown();
        throw err;
      }
      this.state = 'stopping';
      await this.shutdown();
    } finally {
      this.state = 'stopped';
      batch.stop();
      o.store.checkpoints.stop();
    }
    const fatal = o.orders.fatal();
    if (fatal) throw fatal;
  }

  private async loop(src: MarketDataSource | LiveMarketSource, live: boolean, wallStart: number, marketStart: number): Promise<void> {
    const o = this.o;
    const batch = o.store.batching;
    const checked = live || (src as MarketDataSource).soundEvents !== true;
    for (;;) {
      if (o.orders.fatal()) break;
      if (this.stopRequested) break;
      const ev = isLiveSource(src) ? await src.next(LIVE_IDLE_MS) : src.next();
      if (ev === null) break;
      if (ev === 'idle') {
        // A quiet stream still ends a bounded run on time.
        if (o.endTs !== null && o.clock.now() >= o.endTs) break;
        await this.housekeeping(o.clock.now());
        if (live) o.store.checkpoints.tick(o.wall.now(), o.orders.busy());
        continue;
      }
      if (checked && !this.guard.accept(ev)) continue;
      if (o.endTs !== null && ev.ts >= o.endTs) break;
      if (!live && o.speed !== 'max') {
        const due = wallStart + (ev.ts - marketStart) / o.speed;
        const wait = due - o.wall.now();
        if (wait > 1) {
          // Never hold the write lock across a sleep: CLI controls write to the same file.
          batch.end(o.wall.now());
          await o.wall.sleep(wait);
        }
        if (this.stopRequested) break;
      }
      batch.begin();
      // Most events need no waiting at all: only then is a promise returned (and awaited).
      const pending = this.step(ev);
      if (pending) await pending;
      // Between events, never inside a commit: a live run's WAL checkpoint (see WalCheckpoints).
      if (live) o.store.checkpoints.tick(this.lastEventWall, o.orders.busy());
      if (this.lastEventWall - this.batchWall >= BATCH_WALL_MS) {
        batch.end(this.lastEventWall);
        this.batchWall = this.lastEventWall;
        if (!live) {
          // An operator's command from another process waits for the write lock: it gets it now.
          if (this.turns.waiting(o.wall)) await this.turns.giveWay(o.wall);
          // Otherwise the event loop still gets a turn once a batch: with no order work awaiting
          // anything (a halted bot), Ctrl-C and the status API would wait for the end of the run.
          else await settle();
        }
      }
    }
    batch.end();
  }

  /** One market event; returns a promise only when something must be awaited (timers, order work, the account). */
  private step(ev: MarketEvent): Promise<void> | undefined {
    const next = this.o.clock.nextTimerAt();
    if (next !== null && next <= ev.ts) return this.stepAfterTimers(ev);
    return this.apply(ev);
  }

  private async stepAfterTimers(ev: MarketEvent): Promise<void> {
    await this.fireTimersThrough(ev.ts);
    await this.apply(ev);
  }

  private apply(ev: MarketEvent): Promise<void> | undefined {
    const o = this.o;
    o.clock.advanceTo(ev.ts);
    if (!this.passesOver(ev)) {
      const sinks = o.sinks;
      for (let i = 0; i < sinks.length; i++) sinks[i]!.onMarketEvent(ev);
      const bar = o.market.apply(ev);
      // No closure here: one capturing this function's locals would make V8 allocate their context
      // on every event, bar or not.
      if (bar) this.recordBar(bar);
      const bots = o.bots;
      for (let i = 0; i < bots.length; i++) bots[i]!.onMarketEvent(ev, bar);
    }
    this.stats.observeEvent(ev.ts);
    if (this.wallEveryEvent || ++this.eventsSinceWall === WALL_READ_EVERY) {
      this.eventsSinceWall = 0;
      this.lastEventWall = o.wall.now();
    }
    if (ev.kind === 'mark') this.observeExposure(ev.mark.symbol);
    // Most events find nothing due: answered here. The event is handed on, not its time: a time
    // read from an event is a double that a call boxes, and V8 boxes it ahead of this test, on
    // every event (16 bytes an event, ~17 MB a simulated day, with the clock's time stored).
    const ts = ev.ts;
    if (ts < this.nextAccountTs && ts < this.nextSnapshotTs && !this.statusDue() && !o.orders.busy()) return undefined;
    return this.housekeepingAfter(ev);
  }

  /** {@link housekeeping} at `ev`'s time (see the end of {@link apply}: why the event is passed). */
  private housekeepingAfter(ev: MarketEvent): Promise<void> | undefined {
    return this.housekeeping(ev.ts);
  }

  /**
   * A print that would change nothing in the market state, any sink or any bot: every one of them
   * says so (a few field reads each; a yes or no, since a time returned would be a boxed double).
   * About half of all events; the clock, the run stats, the wall reads and housekeeping still see
   * it. Pulled sources only: a live venue may stamp a fill before events already seen, where the
   * markout tracker's last event time (which a passed print does not move) decides which mids a
   * late horizon takes (see MarkoutTracker.idle). Property-tested against feeding every print
   * (test/integration/print-pass.test.ts: orders, fills, markouts, bars, stats, control ticks).
   */
  private passesOver(ev: MarketEvent): boolean {
    if (ev.kind !== 'trade' || !this.passPrints) return false;
    const o = this.o;
    if (!o.market.ignoresPrint(ev)) return false;
    const bots = o.bots;
    for (let i = 0; i < bots.length; i++) if (!bots[i]!.ignoresPrint(ev)) return false;
    const sinks = o.sinks;
    for (let i = 0; i < sinks.length; i++) {
      const sink = sinks[i]!;
      if (sink.ignoresPrint === undefined || !sink.ignoresPrint(ev)) return false;
    }
    return true;
  }

  /** A closed 1-minute bar: its closes to the store, then to the portfolio monitor. */
  private recordBar(bar: ClosedBar): void {
    const o = this.o;
    o.store.transaction(() => {
      for (const [symbol, close] of bar.closes) o.store.bars.record(o.venue.name, symbol, bar.ts, close);
    });
    o.portfolio?.onBar(bar.closes);
  }

  /**
   * Fires the timers due up to `ts` one instant at a time, letting what each sets off run before
   * the next: an order or cancel arrives at the venue at its own time (send + latency), and a
   * reaction to it (a hedge after a fill) is sent then, not at the next market event. Bounded so
   * a timer re-arming itself at no delay cannot hold the loop.
   */
  private async fireTimersThrough(ts: number): Promise<void> {
    const { clock } = this.o;
    for (let n = 0, next = clock.nextTimerAt(); next !== null && next <= ts && n < DRAIN_LIMIT; n++, next = clock.nextTimerAt()) {
      clock.advanceTo(next);
      await this.settleOrders();
    }
  }

  /**
   * Settles order work, refreshes the account, snapshots and prints status when due. Synchronous
   * (no promise) when no order work is pending and the account is not due.
   */
  private housekeeping(ts: number): Promise<void> | undefined {
    const o = this.o;
    if (o.orders.busy()) return this.housekeepingAsync(ts);
    if (ts >= this.nextAccountTs) {
      // A venue that holds its account in memory and has no margin of its own (paper) is read
      // without a promise: nothing is pending to interleave with, since no order work is.
      if (o.venue.accountNow === undefined || hasVenueMargin(o.venue)) return this.housekeepingAsync(ts);
      this.nextAccountTs = ts + ACCOUNT_REFRESH_MS;
      this.account = o.venue.accountNow();
      o.portfolio?.maybeEvaluate(this.account);
    }
    this.snapshotAndStatus(ts);
    return undefined;
  }

  private async housekeepingAsync(ts: number): Promise<void> {
    const o = this.o;
    if (o.orders.busy()) await this.settleOrders();
    if (ts >= this.nextAccountTs) {
      this.nextAccountTs = ts + ACCOUNT_REFRESH_MS;
      await this.refreshAccount();
      o.portfolio?.maybeEvaluate(this.account, await this.venueMarginIfDue());
    }
    this.snapshotAndStatus(ts);
  }

  private snapshotAndStatus(ts: number): void {
    const o = this.o;
    if (ts >= this.nextSnapshotTs) {
      this.nextSnapshotTs = ts + o.snapshotIntervalMs;
      this.snapshot(ts);
    }
    const onStatus = o.onStatus;
    if (onStatus && this.statusDue()) {
      this.nextStatusWall = o.wall.now() + o.statusIntervalMs;
      onStatus(this.status());
    }
  }

  /** A status line is wanted and its wall interval has passed. */
  private statusDue(): boolean {
    const o = this.o;
    return o.onStatus !== undefined && (this.wallEveryEvent ? o.wall.now() : this.lastEventWall) >= this.nextStatusWall;
  }

  status(): StatusSnapshot {
    let net = 0;
    let gross = 0;
    let openPairs = 0;
    for (const b of this.o.bots) {
      const e = b.exposure();
      net += e.net;
      gross += e.gross;
      if (b.activePair) openPairs++;
    }
    return { ts: this.o.clock.now(), account: this.account, netDeltaUsd: net, grossNotionalUsd: gross, openPairs, stats: this.stats };
  }

  /**
   * The bots' summed exposure into the run's maxima, after a mark of `symbol`. Each bot keeps its
   * own up to date mark by mark; when none can have changed (no fill, the symbol held by none: a
   * third of marks in the default sim), the same maxima would be recorded again: skipped.
   */
  private observeExposure(symbol: string): void {
    const bots = this.o.bots;
    let changed = false;
    // Every bot is told (no early exit): each follows every mark.
    for (let i = 0; i < bots.length; i++) if (bots[i]!.markedExposure.onMark(symbol)) changed = true;
    if (!changed) return;
    const acc = this.exposureSum;
    acc.net = 0;
    acc.gross = 0;
    for (let i = 0; i < bots.length; i++) {
      const e = bots[i]!.markedExposure;
      acc.net += e.net;
      acc.gross += e.gross;
    }
    this.stats.observeExposure(acc.net, acc.gross);
  }

  private snapshot(ts: number): void {
    const o = this.o;
    o.store.transaction(() => {
      for (const b of o.bots) {
        const e = b.exposure();
        o.store.snapshots.saveEquity({ botId: b.id, ts, equity: this.account.equity, collateral: this.account.collateral, netDelta: e.net, grossNotional: e.gross });
        o.store.bots.setLastMarketTs(b.id, ts);
      }
      for (const [symbol, price] of o.market.allMarks()) o.store.snapshots.saveMark(o.venue.name, symbol, ts, price);
      o.persistAccount?.(this.account, ts);
    });
  }

  /** Cancels resting orders, lets in-flight requests finish on the market clock, writes state. */
  private async shutdown(): Promise<void> {
    const o = this.o;
    for (const b of o.bots) b.stop();
    let guard = 0;
    await settle();
    if (isLiveSource(o.source)) {
      // Real requests take wall time; the clock follows the wall on its own.
      const deadline = o.wall.now() + LIVE_DRAIN_MS;
      while (o.orders.busy() && o.wall.now() < deadline) await o.wall.sleep(50);
    } else {
      while (o.orders.busy() && guard++ < DRAIN_LIMIT) {
        const next = o.clock.nextTimerAt();
        if (next !== null) o.clock.advanceTo(next);
        await settle();
      }
    }
    if (o.orders.busy()) o.logger.error({}, 'shutdown: order requests still in flight; reconciliation will settle them on the next start');
    await this.refreshAccount();
    this.snapshot(o.clock.now());
    for (const b of o.bots) o.store.bots.setStatus(b.id, 'stopped', o.clock.now());
    if (o.onShutdown) {
      try {
        await o.onShutdown();
      } catch (err) {
        o.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown hook failed');
      }
    }
  }
}
