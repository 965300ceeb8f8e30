import type { Book, Instrument, MarkUpdate, MarketEvent, Trade } from '../../../../src/core/types.js';
import { isOnGrid, stepDecimals } from '../../../../src/core/tick-rounding.js';
import type { MarketDataSource } from '../../../../src/core/venue.js';

/** True when `v` is exactly the canonical double of a grid point (what `toFixed` would print). */
export function isCanonicalOnGrid(v: number, step: number): boolean {
  return isOnGrid(v, step) && Number((Math.round(v / step) * step).toFixed(stepDecimals(step))) === v;
}

/** Every way `book` breaks the invariants of a valid L2 book on `inst`'s grid (empty when valid). */
export function bookProblems(book: Book, inst: Pick<Instrument, 'tickSize' | 'lotSize'>): string[] {
  const out: string[] = [];
  const check = (side: 'bids' | 'asks') => {
    const levels = book[side];
    if (levels.length === 0) out.push(`${side} empty`);
    levels.forEach((l, i) => {
      if (!(l.price > 0) || !Number.isFinite(l.price)) out.push(`${side}[${i}] price ${l.price}`);
      if (!(l.size > 0) || !Number.isFinite(l.size)) out.push(`${side}[${i}] size ${l.size}`);
      if (!isCanonicalOnGrid(l.price, inst.tickSize)) {
        out.push(`${side}[${i}] price off tick grid ${l.price}`);
      }
      if (!isCanonicalOnGrid(l.size, inst.lotSize)) {
        out.push(`${side}[${i}] size off lot grid ${l.size}`);
      }
      if (l.size < inst.lotSize) out.push(`${side}[${i}] size below lot ${l.size}`);
      const prev = levels[i - 1];
      if (prev !== undefined) {
        const ordered = side === 'bids' ? l.price < prev.price : l.price > prev.price;
        if (!ordered) out.push(`${side}[${i}] not strictly ordered ${prev.price} → ${l.price}`);
      }
    });
  };
  check('bids');
  check('asks');
  const bid = book.bids[0];
  const ask = book.asks[0];
  if (bid !== undefined && ask !== undefined && !(ask.price - bid.price >= inst.tickSize * (1 - 1e-9))) {
    out.push(`crossed or locked: ${bid.price} / ${ask.price}`);
  }
  return out;
}

/** The first `n` events (fewer if the source ends). */
export function take(src: MarketDataSource, n: number): MarketEvent[] {
  const out: MarketEvent[] = [];
  for (let i = 0; i < n; i++) {
    const e = src.next();
    if (e === null) break;
    out.push(e);
  }
  return out;
}

/** All events before market time `untilTs`. */
export function takeUntil(src: MarketDataSource, untilTs: number): MarketEvent[] {
  const out: MarketEvent[] = [];
  for (let e = src.next(); e !== null && e.ts < untilTs; e = src.next()) out.push(e);
  return out;
}

/** Lag-1 autocorrelation (AR(1) coefficient around the sample mean). */
export function ar1(xs: readonly number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  let num = 0;
  let den = 0;
  for (let i = 1; i < xs.length; i++) {
    const a = (xs[i] ?? 0) - mean;
    const b = (xs[i - 1] ?? 0) - mean;
    num += a * b;
    den += b * b;
  }
  return num / den;
}

/** Half-life implied by an AR(1) coefficient at sampling interval `dt` (same unit as the result). */
export function halfLifeFromAr1(rho: number, dt: number): number {
  return (-Math.LN2 / Math.log(rho)) * dt;
}

/** Root mean square. */
export function rms(xs: readonly number[]): number {
  return Math.sqrt(xs.reduce((a, b) => a + b * b, 0) / xs.length);
}

export const books = (evs: readonly MarketEvent[]): Book[] =>
  evs.flatMap((e) => (e.kind === 'book' ? [e.book] : []));
export const marks = (evs: readonly MarketEvent[]): MarkUpdate[] =>
  evs.flatMap((e) => (e.kind === 'mark' ? [e.mark] : []));
export const trades = (evs: readonly MarketEvent[]): Trade[] =>
  evs.flatMap((e) => (e.kind === 'trade' ? [e.trade] : []));
