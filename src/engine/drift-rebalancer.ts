import { bestAsk, bestBid } from '../core/book-touch.js';
import { roundPriceForSide } from '../core/tick-rounding.js';
import type { Order } from '../core/types.js';
import { planDriftRebalance } from '../hedging/drift-rebalance.js';
import type { PairBalancerOptions } from './pair-balancer.js';
import type { LegReading, PairLegView } from './pair-leg-view.js';
import type { Working } from './pair-working.js';

/** The pair's collaborators as the balancer gets them, with the drift rebalancer's own settings. */
export type DriftRebalancerOptions = Omit<PairBalancerOptions, 'config'> & {
  /** `share`: |net delta| ÷ gross above which the legs are brought back together (0 = off); `restMs`: how long its order rests before it is re-posted at the new touch. */
  readonly config: { readonly share: number; readonly restMs: number };
  readonly view: PairLegView;
};

/** Whether `o` is the drift rebalancer's own post-only order (any reduction cancels it at once). */
export function isDriftOrder(o: Order): boolean {
  return o.tif === 'POST_ONLY' && o.purpose === 'hedge' && o.sizingTrace.some((s) => s.step === 'drift_rebalance');
}

/**
 * Keeps an open pair neutral while it is held: when the legs' notionals drift apart (the coins'
 * prices diverge, or the pair opened a little off) by more than `share` of the gross, one
 * post-only order at the touch takes the difference out (`planDriftRebalance`), tagged `hedge` so
 * its cost is the cost breakdown's hedge term. The order is re-posted at the new touch after
 * `restMs` or as soon as the touch moves away from it. It never holds up a reduction: a harvest,
 * an exit or stop, a risk or allocation cut and an operator's rebalance cancel it at once and go
 * on, and it does not start while one is being worked (a rebalance between its rounds included).
 * The executor's IOC trim past `imbalanceTolerance` stays the backstop for a drift too fast for a
 * resting order.
 */
export class DriftRebalancer {
  constructor(private readonly o: DriftRebalancerOptions) {}

  /** One step for an open pair that is not being reduced; `working` are the pair's working orders. */
  tick(w: Working, working: readonly Order[], legs?: LegReading): void {
    if (!(this.o.config.share > 0)) return;
    if (working.length > 0) return this.refresh(working);
    const rt = w.rt;
    // Read on every book of an open pair: numbers first (this event's reading of the legs, when the
    // executor has one), and the legs' objects only when the drift is past the band (the same
    // arithmetic as planDriftRebalance's own test).
    const { longSize, shortSize, longMark, shortMark } = legs ?? this.o.view.read(rt);
    const { longInst, shortInst } = this.o.view.instruments(rt);
    if (!longInst || longMark === undefined || !shortInst || shortMark === undefined) return;
    if (longSize === 0 || shortSize === 0) return;
    const hedgeRatio = this.o.hedgeRatio?.(rt.longSymbol, rt.shortSymbol) ?? 1;
    const share = this.o.config.share;
    const longUsd = longSize * longMark * hedgeRatio;
    const shortUsd = shortSize * shortMark;
    if (this.inBand(longUsd, shortUsd)) return;
    const long = { size: longSize, mark: longMark, lotSize: longInst.lotSize, minSize: longInst.minSize, minNotional: longInst.minNotional };
    const short = { size: shortSize, mark: shortMark, lotSize: shortInst.lotSize, minSize: shortInst.minSize, minNotional: shortInst.minNotional };
    // A pair reduced since it opened is held at its smaller size: trimmed back, never grown again.
    const t = planDriftRebalance({ long, short, hedgeRatio, share, targetGrossUsd: w.reduced ? 0 : 2 * rt.targetNotional });
    if (!t) return;
    const symbol = t.leg === 'long' ? rt.longSymbol : rt.shortSymbol;
    const why = `legs drifted $${t.deltaUsd.toFixed(2)} apart (> $${t.thresholdUsd.toFixed(2)}): ${t.reduceOnly ? 'trim the heavy leg' : 'add to the light leg'}`;
    this.o.legs.postAtTouch(rt, symbol, t.side, t.size, 'hedge', t.reduceOnly, [{ step: 'drift_rebalance', input: Math.abs(t.deltaUsd), output: t.size, reason: why }]);
    this.o.journal('drift_rebalance', { pairId: rt.id, symbol, side: t.side, size: t.size, deltaUsd: t.deltaUsd, thresholdUsd: t.thresholdUsd, reduceOnly: t.reduceOnly });
  }

  /**
   * Whether legs of these notionals (the long one at the hedge ratio) are within the drift band, or
   * the rebalancer is off: `tick` then does nothing with nothing working.
   */
  inBand(longUsd: number, shortUsd: number): boolean {
    const share = this.o.config.share;
    if (!(share > 0)) return true;
    const gross = longUsd + shortUsd;
    return gross <= 0 || Math.abs(longUsd - shortUsd) <= share * gross;
  }

  /** Its own resting order, stale (rested `restMs`) or off the touch, is cancelled; the next step re-posts. */
  private refresh(working: readonly Order[]): void {
    const now = this.o.clock.now();
    for (const o of working) {
      if (o.purpose !== 'hedge' || o.tif !== 'POST_ONLY' || (o.status !== 'open' && o.status !== 'partially_filled')) continue;
      const book = this.o.market.book(o.symbol);
      const inst = this.o.instruments.get(o.symbol);
      const touch = book === undefined ? undefined : o.side === 'buy' ? bestBid(book) : bestAsk(book);
      const px = touch === undefined || !inst ? undefined : roundPriceForSide(touch, inst.tickSize, o.side);
      const behind = px !== undefined && o.price !== undefined && (o.side === 'buy' ? o.price < px : o.price > px);
      if (now - o.createdTs >= this.o.config.restMs || behind) this.o.orders.cancel(o.clientOrderId);
    }
  }
}
