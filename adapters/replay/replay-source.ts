import { DnbotError, ErrorCodes } from '../../src/core/errors.js';
import { roundDown, roundNearest } from '../../src/core/tick-rounding.js';
import type { Candle, Instrument, MarketEvent, Side } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';
import { LazyPrint } from '../../src/core/lazy-print.js';
import { alignCandleSeries, type AlignedCandles, type CandleGap, type CandleSeries } from './candle-alignment.js';
import type { CandleTable } from './candle-table.js';
import { snappedOhlc, type PathPoint } from './candle-path.js';
import { IntrabarPaths, type ExposureProbe } from './intrabar-paths.js';
import type { ReplayConfig } from './replay-config.js';
import { replayInstrument } from './replay-instrument.js';
import { BookGrid, SyntheticTouchBook } from './synthetic-book.js';

export interface ReplaySourceOptions {
  /** One series per symbol; the order given is the fixed symbol order of the events. */
  readonly series: ReadonlyArray<CandleSeries>;
  readonly config: ReplayConfig;
  /** First candle to replay (first aligned ts ≥ startTs). Default: right after `warmupBars`. */
  readonly startTs?: number | undefined;
  /** Candles at or after this are not replayed (exclusive). Default: to the end of the data. */
  readonly endTs?: number | undefined;
  /** Seed of the `bridge` paths (the config's `pathSeed` wins); default 0. */
  readonly seed?: number;
  /** The bot's exposure per symbol, read at each candle's start by the `adverse` path. */
  readonly exposure?: ExposureProbe;
}

/** Counters for the CLI and for checking what was skipped. */
export interface ReplayStats {
  /** Candles given, all series together. */
  readonly totalCandles: number;
  /** Timestamps common to all series. */
  readonly alignedMinutes: number;
  /** Aligned candles serving `history()`. */
  readonly warmupMinutes: number;
  /** Aligned candles turned into events. */
  readonly replayMinutes: number;
  /** Candles dropped because another series had no candle at their timestamp. */
  readonly droppedCandles: number;
  /** Holes in the aligned timeline (whole data set, warm-up included). */
  readonly gaps: readonly CandleGap[];
  readonly skippedGaps: number;
  /** Candle slots missing inside those holes. */
  readonly skippedMinutes: number;
  /** Timestamp of the first and last replayed candle. */
  readonly firstReplayedTs: number;
  readonly lastReplayedTs: number;
}

interface SymbolState {
  readonly instrument: Instrument;
  readonly candles: CandleTable;
  readonly book: BookGrid;
  seq: number;
  lastPrice: number | null;
  lastAggressor: Side | null;
  path: PathPoint[];
  tradeSize: number;
  quoteVolume: number;
}

/**
 * A candle whose every path point is a finite price > 0 (paths stay inside the snapped low and
 * high), with a finite volume >= 0 and timestamp: its books (bids and asks on the tick grid,
 * strictly sorted, never crossed, at least a lot a level), marks and trades all pass the market
 * event guard. The candle files' own checks already ask this of every row, but the snapping (a
 * price under half a tick rounds to 0) and other sources of series do not.
 */
function soundCandle(c: Candle, instrument: Instrument): boolean {
  const { high, low } = snappedOhlc(c, instrument.tickSize);
  return Number.isFinite(c.ts) && low > 0 && high < Infinity && Number.isFinite(c.volume) && c.volume >= 0 && Number.isFinite(c.volume * c.close);
}

/** A replayed print, `<symbol>-<ts>`. */
class ReplayTrade extends LazyPrint {
  get tradeId(): string {
    return `${this.symbol}-${this.ts}`;
  }
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Replays recorded candles as a deterministic stream of market events. Series are aligned on
 * the timestamps present in all of them; the `warmupBars` candles before the first replayed one
 * serve {@link ReplaySource.history}. Each replayed candle becomes a path of points
 * (`replay.intrabar`: a seeded bridge, the adverse order or the 4-point ohlc convention; see
 * `IntrabarPaths`), and at each point, for all symbols in the given order: every symbol's
 * `book`, then every symbol's `mark`, then every symbol's `trade`, all stamped with the point's
 * timestamp. Books are synthetic (see `syntheticBook`); the trade prints AT the path price with
 * the aggressor in the direction of the move, so resting paper orders that the move went
 * through can fill. See the folder's README for the assumptions.
 */
export class ReplaySource implements MarketDataSource {
  readonly instruments: readonly Instrument[];
  readonly startTs: number;
  readonly stats: ReplayStats;
  /**
   * True when every replayed candle gives sound events (see {@link soundCandle}): then every
   * event passes the market event guard by construction and the runtime does not check them.
   */
  readonly soundEvents: boolean;

  private readonly config: ReplayConfig;
  private readonly aligned: AlignedCandles;
  private readonly symbols: SymbolState[];
  private readonly bySymbol: ReadonlyMap<string, number>;
  private readonly warmStart: number;
  private readonly firstIdx: number;
  private readonly endIdx: number;
  private readonly paths: IntrabarPaths;
  private minute: number;
  private step = 0;
  /** The current point's events, refilled in place (never handed out). */
  private readonly queue: MarketEvent[] = [];
  private qi = 0;
  private batchEndsMinute = false;
  private doneMinutes = 0;

  /**
   * @throws ConfigError `E_CONFIG_INVALID` for no series or a duplicate symbol.
   * @throws DnbotError `E_DATA_FILE` when series cannot be aligned or nothing is left to replay.
   */
  constructor(options: ReplaySourceOptions) {
    const { config } = options;
    this.config = config;
    this.aligned = alignCandleSeries(options.series, config.intervalMs);
    const ts = this.aligned.timestamps;
    const warm = Math.min(config.warmupBars, ts.length);
    // A window from the config keeps a full warm-up before it; one given by the caller is taken as is.
    if (options.startTs !== undefined) this.firstIdx = lowerBound(ts, options.startTs);
    else this.firstIdx = config.from === undefined ? warm : Math.max(warm, lowerBound(ts, config.from));
    const endTs = options.endTs ?? config.to;
    this.endIdx = endTs === undefined ? ts.length : lowerBound(ts, endTs);
    if (this.firstIdx >= this.endIdx) {
      throw new DnbotError(
        ErrorCodes.DATA_FILE,
        `nothing to replay: ${ts.length} aligned candles, warmupBars ${config.warmupBars}, ` +
          `window [${options.startTs ?? 'after warm-up'}, ${options.endTs ?? 'end'})`,
        { alignedMinutes: ts.length },
      );
    }
    this.warmStart = Math.max(0, this.firstIdx - config.warmupBars);
    this.minute = this.firstIdx;

    this.symbols = this.aligned.symbols.map((symbol, s) => {
      const candles = this.aligned.tables[s]!;
      const instrument = replayInstrument(config, symbol, candles.close(0));
      return {
        instrument,
        candles,
        book: new BookGrid(instrument.tickSize, instrument.lotSize, config.book),
        seq: 0,
        lastPrice: this.firstIdx > 0 ? roundNearest(candles.close(this.firstIdx - 1), instrument.tickSize) : null,
        lastAggressor: null,
        path: [],
        tradeSize: 0,
        quoteVolume: 0,
      };
    });
    this.instruments = this.symbols.map((s) => s.instrument);
    this.soundEvents =
      Number.isFinite(config.fundingRate) &&
      this.symbols.every((st) => {
        for (let i = this.firstIdx; i < this.endIdx; i++) if (!soundCandle(st.candles.candle(i)!, st.instrument)) return false;
        return true;
      });
    this.paths = new IntrabarPaths({
      mode: config.intrabar,
      symbols: this.aligned.symbols,
      candles: this.aligned.tables,
      intervalMs: config.intervalMs,
      stepsPerCandle: config.stepsPerCandle,
      pointsPerMinute: config.pointsPerMinute,
      correlationWindow: config.correlationWindow,
      seed: config.pathSeed ?? options.seed ?? 0,
      tickSizes: this.instruments.map((i) => i.tickSize),
      ...(options.exposure ? { exposure: options.exposure } : {}),
    });
    this.bySymbol = new Map(this.aligned.symbols.map((sym, i) => [sym, i]));
    this.startTs = ts[this.firstIdx]!;

    const totalCandles = options.series.reduce((n, s) => n + s.candles.length, 0);
    const gaps = this.aligned.gaps;
    this.stats = {
      totalCandles,
      alignedMinutes: ts.length,
      warmupMinutes: this.firstIdx - this.warmStart,
      replayMinutes: this.endIdx - this.firstIdx,
      droppedCandles: this.aligned.droppedCandles,
      gaps,
      skippedGaps: gaps.length,
      skippedMinutes: gaps.reduce((n, g) => n + g.missingBars, 0),
      firstReplayedTs: this.startTs,
      lastReplayedTs: ts[this.endIdx - 1]!,
    };
  }

  /**
   * The last `bars` warm-up candles for `symbol` (aligned, oldest first), at most `warmupBars`.
   * @throws DnbotError `E_VENUE_UNKNOWN_SYMBOL` for a symbol not replayed.
   */
  history(symbol: string, bars: number): readonly Candle[] {
    const s = this.bySymbol.get(symbol);
    if (s === undefined) {
      throw new DnbotError(ErrorCodes.VENUE_UNKNOWN_SYMBOL, `replay has no symbol ${symbol}`, { symbol });
    }
    if (!(bars > 0)) return [];
    const from = Math.max(this.warmStart, this.firstIdx - Math.floor(bars));
    return this.aligned.tables[s]!.toCandles(from, this.firstIdx);
  }

  /** Minutes fully emitted out of the minutes to replay (for a progress bar). */
  progress(): { done: number; total: number } {
    return { done: this.doneMinutes, total: this.endIdx - this.firstIdx };
  }

  next(): MarketEvent | null {
    if (this.qi >= this.queue.length && !this.fillQueue()) return null;
    const ev = this.queue[this.qi++]!;
    if (this.qi === this.queue.length && this.batchEndsMinute) this.doneMinutes++;
    return ev;
  }

  /** Builds the events of the next path point; false when the data is exhausted. */
  private fillQueue(): boolean {
    if (this.minute >= this.endIdx) return false;
    const { config } = this;
    const steps = this.paths.pointsPerCandle;
    if (this.step === 0) {
      const paths = this.paths.pathsAt(this.minute);
      this.symbols.forEach((st, s) => {
        const t = st.candles;
        const i = this.minute;
        const volume = t.volume(i);
        const close = t.close(i);
        const { lotSize } = st.instrument;
        st.path = paths[s]!;
        st.tradeSize = Math.max(lotSize, roundDown((volume * config.tradeVolumeShare) / steps, lotSize));
        st.quoteVolume = volume * close;
        if (st.lastAggressor === null) st.lastAggressor = close >= t.open(i) ? 'buy' : 'sell';
      });
    }
    const k = this.step;
    // One point's events: every symbol's book, then every symbol's mark, then every trade.
    const n = this.symbols.length;
    const queue = this.queue;
    queue.length = 3 * n;
    for (let s = 0; s < n; s++) {
      const st = this.symbols[s]!;
      const point = st.path[k]!;
      const { symbol } = st.instrument;
      const { ts, price } = point;
      st.seq++;
      queue[s] = { kind: 'book', ts, book: new SyntheticTouchBook(symbol, ts, st.seq, st.book, price, st.quoteVolume) };
      queue[n + s] = { kind: 'mark', ts, mark: { symbol, ts, markPrice: price, fundingRate: config.fundingRate } };
      // Tick rule: up-move → buyer aggressed, down-move → seller; unchanged keeps the last side.
      let aggressor: Side = st.lastAggressor ?? 'buy';
      if (st.lastPrice !== null && price > st.lastPrice) aggressor = 'buy';
      else if (st.lastPrice !== null && price < st.lastPrice) aggressor = 'sell';
      st.lastPrice = price;
      st.lastAggressor = aggressor;
      queue[2 * n + s] = { kind: 'trade', ts, trade: new ReplayTrade(symbol, ts, price, st.tradeSize, aggressor) };
    }
    this.qi = 0;
    this.step++;
    this.batchEndsMinute = this.step === steps;
    if (this.batchEndsMinute) {
      this.step = 0;
      this.minute++;
    }
    return true;
  }
}
