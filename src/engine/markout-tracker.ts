import type { Fill } from '../core/types.js';
import { MARKOUT_HORIZONS_MS, type FillMarkout } from '../store/markout-repository.js';

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
  private readonly pending: Pending[] = [];
  private readonly mids = new Map<string, number>();
  private lastTs = -Infinity;

  constructor(private readonly o: MarkoutTrackerOptions) {}

  /** A fill of this bot; `mid` is the mid prevailing at the fill. */
  onFill(fill: Fill, mid: number | undefined): void {
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
        midAtFill: mid ?? this.mids.get(fill.symbol) ?? null,
      },
      mids: [null, null, null],
      next: 0,
    });
  }

  /**
   * Called for every market event at `ts` with the mids after it. Horizons that ended before `ts`
   * take the mids from before this event; horizons ending exactly at `ts` take the new ones.
   */
  onMarket(ts: number, midOf: (symbol: string) => number | undefined): void {
    // Called on every event: no closures, and nothing to resolve while no fill is waiting.
    const waiting = this.pending.length > 0;
    if (waiting && ts > this.lastTs) this.resolve(ts, false);
    if (ts > this.lastTs) this.lastTs = ts;
    for (const s of this.o.symbols) {
      const m = midOf(s);
      // Mids change only with their symbol's book: most events store nothing.
      if (m !== undefined && this.mids.get(s) !== m) this.mids.set(s, m);
    }
    if (waiting) this.resolve(ts, true);
  }

  /** Writes fills whose later horizons were never reached (end of data), with nulls there. */
  flush(): void {
    for (const p of this.pending) this.o.save({ ...p.base, mids: [...p.mids] });
    this.pending.length = 0;
  }

  /** Fills still waiting for a horizon. */
  get waiting(): number {
    return this.pending.length;
  }

  /** Observes the horizons due before `ts` (or at it, when `atTs`). */
  private resolve(ts: number, atTs: boolean): void {
    let done = 0;
    for (const p of this.pending) {
      while (p.next < MARKOUT_HORIZONS_MS.length) {
        const due = p.base.ts + MARKOUT_HORIZONS_MS[p.next]!;
        if (atTs ? due > ts : due >= ts) break;
        p.mids[p.next] = this.mids.get(p.base.symbol) ?? null;
        p.next++;
      }
      if (p.next === MARKOUT_HORIZONS_MS.length) done++;
    }
    if (done === 0) return;
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const p = this.pending[i]!;
      if (p.next === MARKOUT_HORIZONS_MS.length) {
        this.o.save({ ...p.base, mids: [...p.mids] });
        this.pending.splice(i, 1);
      }
    }
  }
}
