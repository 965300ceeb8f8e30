import type { Fill } from '../core/types.js';
import { MARKOUT_HORIZONS_MS, type FillMarkout } from '../store/markout-repository.js';
import { emptyObjectList } from '../core/object-list.js';

interface Pending {
  readonly base: Omit<FillMarkout, 'mids'>;
  readonly mids: [number | null, number | null, number | null];
  /** Index of the next horizon to observe. */
  next: number;
}

export interface MarkoutTrackerOptions {
  readonly venue: string;
  readonly botId: string;
  /** Symbols whose mids are followed (the bot's legs). */
  readonly symbols: readonly string[];
  /** Where a fill's markouts go once its last horizon is observed (or at flush). */
  readonly save: (m: FillMarkout) => void;
}

/**
 * Records the mid prevailing 1 s, 10 s and 60 s after each fill, online, from the market events
 * the bot sees: the mid at `fill.ts + h` is the one set by the last event at or before that time
 * (so on 15-second candle points, a 1 s markout is the mid of the fill's own point). Adverse
 * selection and realised spread are computed from these rows afterwards (src/metrics).
 */
export class MarkoutTracker {
  private readonly pending: Pending[] = emptyObjectList();
  /**
   * The latest mid of each followed symbol, by its index in `o.symbols`, and whether one was seen
   * yet. Typed arrays: a double written into a plain array that also holds `undefined` is boxed,
   * one allocation per market event.
   */
  private readonly mids: Float64Array;
  private readonly seen: Uint8Array;
  /**
   * Symbols whose mid the caller said can no longer be undefined (`settles`), and those of them
   * whose mid moved while no fill was waiting and was not read then. Such a read is put off to the
   * next fill: a mid that is always defined reads the same then as at the last event that moved
   * it, so the markouts are the same (property-tested against reading on every event). Saves a
   * mid read on most book and mark events: fills wait for their horizons a few minutes a day.
   */
  private readonly settled: Uint8Array;
  private readonly stale: Uint8Array;
  private anyStale = false;
  /** Every followed symbol is settled, and every one of them is put off (`putOffAll`). */
  private allSettled = false;
  private allStale = false;
  private lastMidOf: ((symbol: string) => number | undefined) | null = null;
  private lastTs = -Infinity;
  /** The earliest horizon still to observe (Infinity: no fill waiting): events before it resolve nothing. */
  private nextDue = Number.POSITIVE_INFINITY;

  constructor(private readonly o: MarkoutTrackerOptions) {
    this.mids = new Float64Array(o.symbols.length);
    this.seen = new Uint8Array(o.symbols.length);
    this.settled = new Uint8Array(o.symbols.length);
    this.stale = new Uint8Array(o.symbols.length);
  }

  /** A fill of this bot; `mid` is the mid prevailing at the fill. */
  onFill(fill: Fill, mid: number | undefined): void {
    if (this.anyStale) this.readStale();
    this.pending.push({
      base: {
        venue: this.o.venue,
        tradeId: fill.tradeId,
        botId: this.o.botId,
        symbol: fill.symbol,
        side: fill.side,
        price: fill.price,
        size: fill.size,
        liquidity: fill.liquidity,
        ts: fill.ts,
        midAtFill: mid ?? this.midOf(fill.symbol) ?? null,
      },
      mids: [null, null, null],
      next: 0,
    });
    this.nextDue = Math.min(this.nextDue, fill.ts + MARKOUT_HORIZONS_MS[0]);
  }

  /**
   * Called for every market event at `ts` with the mids after it. Horizons that ended before `ts`
   * take the mids from before this event; horizons ending exactly at `ts` take the new ones.
   * `changed` is the symbol whose book or mark the event set (a mid moves only with those), null
   * when it set neither (a print); left out, every followed symbol's mid is read. `settles`: from
   * this event on, `midOf(changed)` is never undefined (MarketState's mid after a mark, which it
   * falls back to when the book has no touch), so its reads may wait for the next fill.
   */
  onMarket(ts: number, midOf: (symbol: string) => number | undefined, changed?: string | null, settles = false): void {
    // Most of a day: every followed mid settled and no fill waiting. Then nothing is due (no
    // horizon), and every followed mid's read is put off to the next fill, where it reads the same
    // as at the last event that moved it; one that did not move reads the mid already kept. So
    // the event is not looked at (property-tested with the rest against reading on every event).
    if (this.allSettled && this.pending.length === 0) {
      if (ts > this.lastTs) this.lastTs = ts;
      if (!this.allStale) this.putOffAll(midOf);
      return;
    }
    // Called on every event: no closures, and nothing to resolve before the next horizon is due.
    const due = ts >= this.nextDue;
    if (due && ts > this.lastTs) this.resolve(ts, false);
    if (ts > this.lastTs) this.lastTs = ts;
    const symbols = this.o.symbols;
    // A print (null) moves no mid: half the events, skipped without a look at the symbols.
    if (changed !== null) for (let i = 0; i < symbols.length; i++) {
      const s = symbols[i]!;
      if (changed !== undefined && changed !== s) continue;
      if (settles && changed === s && this.settled[i] === 0) {
        this.settled[i] = 1;
        this.allSettled = this.settled.every((x) => x === 1);
      }
      if (this.settled[i] === 1 && this.pending.length === 0) {
        this.stale[i] = 1;
        this.anyStale = true;
        this.lastMidOf = midOf;
        continue;
      }
      this.stale[i] = 0;
      const m = midOf(s);
      if (m !== undefined) {
        this.mids[i] = m;
        this.seen[i] = 1;
      }
    }
    if (due) this.resolve(ts, true);
  }

  /** Writes fills whose later horizons were never reached (end of data), with nulls there. */
  flush(): void {
    for (const p of this.pending) this.o.save({ ...p.base, mids: [...p.mids] });
    this.pending.length = 0;
    this.nextDue = Number.POSITIVE_INFINITY;
  }

  /**
   * Idle: every followed mid settled and put off, no fill waiting. A print then changes nothing
   * here but the last event time, which only tells whether a horizon due before an event's time
   * was already resolved at an earlier event at that time: with fills stamped no earlier than the
   * events already seen (the paper venue's, on the market clock), no horizon can be due before a
   * time already seen, so a print passed over here changes no markout (property-tested).
   */
  get idle(): boolean {
    return this.allStale && this.pending.length === 0;
  }

  /** Fills still waiting for a horizon. */
  get waiting(): number {
    return this.pending.length;
  }

  /** Observes the horizons due before `ts` (or at it, when `atTs`). */
  private resolve(ts: number, atTs: boolean): void {
    let done = 0;
    let nextDue = Number.POSITIVE_INFINITY;
    for (const p of this.pending) {
      while (p.next < MARKOUT_HORIZONS_MS.length) {
        const due = p.base.ts + MARKOUT_HORIZONS_MS[p.next]!;
        if (atTs ? due > ts : due >= ts) {
          if (due < nextDue) nextDue = due;
          break;
        }
        p.mids[p.next] = this.midOf(p.base.symbol) ?? null;
        p.next++;
      }
      if (p.next === MARKOUT_HORIZONS_MS.length) done++;
    }
    this.nextDue = nextDue;
    if (done === 0) return;
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const p = this.pending[i]!;
      if (p.next === MARKOUT_HORIZONS_MS.length) {
        this.o.save({ ...p.base, mids: [...p.mids] });
        this.pending.splice(i, 1);
      }
    }
  }

  /** Puts every followed mid's read off to the next fill (all settled, no fill waiting). */
  private putOffAll(midOf: (symbol: string) => number | undefined): void {
    this.stale.fill(1);
    this.anyStale = true;
    this.allStale = true;
    this.lastMidOf = midOf;
  }

  /** Reads the mids put off while no fill was waiting (each defined: `settles` said so). */
  private readStale(): void {
    const midOf = this.lastMidOf!;
    for (let i = 0; i < this.stale.length; i++) {
      if (this.stale[i] !== 1) continue;
      this.stale[i] = 0;
      const m = midOf(this.o.symbols[i]!);
      if (m !== undefined) {
        this.mids[i] = m;
        this.seen[i] = 1;
      }
    }
    this.anyStale = false;
    this.allStale = false;
  }

  /** The latest mid seen of a followed symbol. */
  private midOf(symbol: string): number | undefined {
    const i = this.o.symbols.indexOf(symbol);
    return i >= 0 && this.seen[i] === 1 ? this.mids[i] : undefined;
  }
}
