import { bestAsk, bestBid } from '../core/book-touch.js';
import { ErrorCodes, isDnbotError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { roundDown, roundPriceForSide, roundUp } from '../core/tick-rounding.js';
import type { Instrument, Order, OrderPurpose, Position, Side, SizingStep, TimeInForce } from '../core/types.js';
import type { OrderManager } from '../execution/order-manager.js';
import type { RoundTrip } from '../store/round-trip-repository.js';
import { planHedgeTrades, type HedgeCandidate, type HedgeTrade } from '../hedging/hedge-plan.js';
import type { DeltaPosition } from '../hedging/portfolio-delta.js';
import type { MarketState } from './market-state.js';

export interface PairLegOrdersOptions {
  readonly botId: string;
  readonly orders: OrderManager;
  readonly market: MarketState;
  readonly logger: Logger;
  readonly instruments: ReadonlyMap<string, Instrument>;
  readonly config: { readonly maxSlippageBps: number };
  readonly positions: () => ReadonlyMap<string, Position>;
  /** Short notional per long notional the pair is hedged to (1 when absent): the long leg's beta. */
  readonly hedgeRatio?: (longSymbol: string, shortSymbol: string) => number;
}

/**
 * How the pair executor sends a leg's orders: post-only at the touch, or IOC within the slippage
 * cap; sizes on the lot grid and above the venue minimums, reduce-only capped by the position.
 * There is no market order here: seed 003's 10 bps cap holds for unwinds and urgent exits too
 * (what does not fill within it is sent again, IOC at the cap from the new touch).
 */
export class PairLegOrders {
  constructor(private readonly o: PairLegOrdersOptions) {}

  postAtTouch(rt: RoundTrip, symbol: string, side: Side, size: number, purpose: OrderPurpose, reduceOnly: boolean, trace: readonly SizingStep[]): void {
    const book = this.o.market.book(symbol);
    const inst = this.o.instruments.get(symbol);
    const price = book === undefined ? undefined : side === 'buy' ? bestBid(book) : bestAsk(book);
    if (!inst || price === undefined) return;
    const lots = roundDown(size, inst.lotSize);
    if (lots < inst.minSize) return;
    const px = roundPriceForSide(price, inst.tickSize, side);
    this.submit({ rt, symbol, side, size: lots, price: px, purpose, reduceOnly, tif: 'POST_ONLY', trace });
  }

  /** A post-only order of exactly `size` at `price` (both already on the instrument's grid); false when refused. */
  postExact(rt: RoundTrip, symbol: string, side: Side, size: number, price: number, purpose: OrderPurpose, reduceOnly: boolean, trace: readonly SizingStep[]): boolean {
    if (reduceOnly) size = Math.min(size, roundDown(Math.abs(this.o.positions().get(symbol)?.size ?? 0), this.o.instruments.get(symbol)?.lotSize ?? 1e-9));
    if (!this.sendable(symbol, size, price)) return false;
    return this.submit({ rt, symbol, side, size, price, purpose, reduceOnly, tif: 'POST_ONLY', trace }) !== null;
  }

  /**
   * An IOC limit at the slippage cap from the touch; returns false when nothing could be sent.
   * `tif` is always IOC: a market order, which could fill past the cap, is not offered.
   */
  sendTaker(rt: RoundTrip, symbol: string, side: Side, notionalUsd: number, purpose: OrderPurpose, reduceOnly: boolean, tif: 'IOC', why: string, exactSize?: number): boolean {
    const inst = this.o.instruments.get(symbol);
    const book = this.o.market.book(symbol);
    const touch = book === undefined ? undefined : side === 'buy' ? bestAsk(book) : bestBid(book);
    if (!inst || touch === undefined) return false;
    let size = roundDown(exactSize ?? notionalUsd / touch, inst.lotSize);
    if (reduceOnly) size = Math.min(size, roundDown(Math.abs(this.o.positions().get(symbol)?.size ?? 0), inst.lotSize));
    if (!this.sendable(symbol, size, touch)) return false;
    const cap = this.o.config.maxSlippageBps / 10_000;
    const price = side === 'buy' ? roundDown(touch * (1 + cap), inst.tickSize) : roundUp(touch * (1 - cap), inst.tickSize);
    const trace: SizingStep[] = [{ step: purpose, input: notionalUsd, output: size, reason: `${why}; IOC within ${this.o.config.maxSlippageBps} bps` }];
    return this.submit({ rt, symbol, side, size, price, purpose, reduceOnly, tif: 'IOC', trace }) !== null;
  }

  /** Whether `size` of `symbol` can be sent at `price`: on the lot grid, ≥ min size and ≥ min notional. */
  sendable(symbol: string, size: number, price: number | undefined): boolean {
    const inst = this.o.instruments.get(symbol);
    if (!inst || !(size > 0) || size < inst.minSize) return false;
    return price === undefined || size * price >= inst.minNotional;
  }

  private submit(p: { rt: RoundTrip; symbol: string; side: Side; size: number; price: number; purpose: OrderPurpose; reduceOnly: boolean; tif: TimeInForce; trace: readonly SizingStep[] }): Order | null {
    try {
      return this.o.orders.submit({
        botId: this.o.botId,
        symbol: p.symbol,
        side: p.side,
        type: 'limit',
        tif: p.tif,
        price: p.price,
        size: p.size,
        reduceOnly: p.reduceOnly,
        purpose: p.purpose,
        pairId: p.rt.id,
        sizingTrace: p.trace,
      });
    } catch (err) {
      // A pre-trade refusal (sanity) leaves the pair to settle; anything else (a reused client
      // order id, a store failure) must stop the run, never be logged and passed over.
      if (!isDnbotError(err) || err.code === ErrorCodes.ORDER_DUPLICATE_CLIENT_ID) throw err;
      this.o.logger.warn({ pairId: p.rt.id, symbol: p.symbol, err: String(err) }, 'order refused before sending');
      return null;
    }
  }

  working(pairId: string): readonly Order[] {
    return this.o.orders.working(this.o.botId, pairId);
  }

  /**
   * Plans trades on `symbols` that bring the pair's delta back to 0 (the hedging engine) and sends
   * them; returns the delta before when anything was sent, null otherwise.
   */
  sendHedgePlan(rt: RoundTrip, symbols: readonly string[], allowOpening: boolean, tif: 'IOC', why: string, toleranceUsd: number, trades?: readonly HedgeTrade[]): number | null {
    const pos = this.o.positions();
    const positions: DeltaPosition[] = [];
    const candidates: HedgeCandidate[] = [];
    for (const symbol of [rt.longSymbol, rt.shortSymbol]) {
      const mark = this.o.market.mark(symbol);
      const inst = this.o.instruments.get(symbol);
      if (mark === undefined || !inst) return null;
      positions.push({ symbol, size: pos.get(symbol)?.size ?? 0, mark });
      const book = this.o.market.book(symbol);
      if (symbols.includes(symbol)) candidates.push({ symbol, mark, instrument: inst, ...(book ? { book: { bids: book.bids, asks: book.asks } } : {}) });
    }
    // Beta-adjusted, the pair's delta is measured in short-leg units: long notional × hedge ratio.
    const h = this.o.hedgeRatio?.(rt.longSymbol, rt.shortSymbol) ?? 1;
    const betas = { [rt.longSymbol]: h, [rt.shortSymbol]: 1 };
    const plan = trades
      ? { trades, currentDelta: positions.reduce((a, p) => a + p.size * p.mark * betas[p.symbol]!, 0) }
      : planHedgeTrades({ positions, candidates, targetDeltaUsd: 0, toleranceUsd, maxSlippageBps: this.o.config.maxSlippageBps, betaAdjusted: h !== 1, betas, allowOpening, requireBook: false });
    let sent = false;
    for (const t of plan.trades) {
      sent = this.sendTaker(rt, t.market, t.side, t.notionalUsd, 'hedge', t.reduceOnly, tif, `${why}: ${t.reasoning}`, t.size) || sent;
    }
    return sent ? plan.currentDelta : null;
  }
}
