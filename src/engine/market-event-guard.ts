import type { BookLevel, MarketEvent } from '../core/types.js';

const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

function levelsOk(levels: readonly BookLevel[] | undefined, descending: boolean): boolean {
  if (!Array.isArray(levels)) return false;
  let prev = descending ? Infinity : 0;
  for (const l of levels) {
    if (!l || !ok(l.price) || !ok(l.size)) return false;
    if (descending ? l.price >= prev : l.price <= prev) return false;
    prev = l.price;
  }
  return true;
}

/** Why an event was refused, or null when it is sound. Never throws on garbage. */
export function marketEventProblem(ev: MarketEvent): string | null {
  if (!ev || typeof ev !== 'object' || !Number.isFinite(ev.ts)) return 'missing or non-finite ts';
  switch (ev.kind) {
    case 'book': {
      const b = ev.book;
      if (!b || typeof b.symbol !== 'string') return 'book without symbol';
      if (!levelsOk(b.bids, true)) return 'bids not finite, positive and strictly descending';
      if (!levelsOk(b.asks, false)) return 'asks not finite, positive and strictly ascending';
      const bid = b.bids[0]?.price;
      const ask = b.asks[0]?.price;
      if (bid !== undefined && ask !== undefined && bid >= ask) return 'crossed book';
      return null;
    }
    case 'trade': {
      const t = ev.trade;
      if (!t || typeof t.symbol !== 'string') return 'trade without symbol';
      if (!ok(t.price) || !ok(t.size)) return 'trade price or size not finite and positive';
      if (t.aggressor !== 'buy' && t.aggressor !== 'sell') return 'trade aggressor not buy or sell';
      return null;
    }
    case 'mark': {
      const m = ev.mark;
      if (!m || typeof m.symbol !== 'string') return 'mark without symbol';
      if (!ok(m.markPrice)) return 'mark price not finite and positive';
      if (!Number.isFinite(m.fundingRate)) return 'funding rate not finite';
      return null;
    }
    default:
      return 'unknown event kind';
  }
}

/**
 * Drops malformed market events before anything trades on them: counted per reason,
 * reported through `onDrop` (the runtime logs, rate-limited). Never throws.
 */
export class MarketEventGuard {
  private readonly byReason = new Map<string, number>();
  private droppedTotal = 0;

  constructor(private readonly onDrop: (reason: string, ev: unknown, count: number) => void = () => undefined) {}

  accept(ev: MarketEvent): boolean {
    let problem: string | null;
    try {
      problem = marketEventProblem(ev);
    } catch {
      problem = 'unreadable event';
    }
    if (problem === null) return true;
    this.droppedTotal++;
    const n = (this.byReason.get(problem) ?? 0) + 1;
    this.byReason.set(problem, n);
    this.onDrop(problem, ev, n);
    return false;
  }

  get dropped(): number {
    return this.droppedTotal;
  }

  reasons(): Record<string, number> {
    return Object.fromEntries(this.byReason);
  }
}
