/**
 * The paper account: collateral, perp positions, margin, funding and the liquidation test.
 * No clock, no orders, no I/O: prices come in through a {@link PriceOf} lookup.
 */
import { InputError } from '../../src/core/errors.js';
import type { AccountState, Instrument, Position, Side } from '../../src/core/types.js';
import { applyFillToPosition } from '../../src/core/position-math.js';
import { fundingPayment, marginFor, unrealizedPnl } from './account-arithmetic.js';

/**
 * A cushion above maintenance margin smaller than this share of the account's terms (collateral,
 * each position's notional at mark and at entry) is too close to call by a bound: the rounding of
 * the sums is far below it (about 1e-16 of those terms a position).
 */
const CUSHION_SHARE = 4e-9;

/** Current mark price of a symbol, or undefined when nothing is known yet. */
export type PriceOf = (symbol: string) => number | undefined;

/** Margin an open order reserves: `size` at the mark, or at `price` when there is no mark. */
export interface OrderExposure {
  readonly symbol: string;
  readonly size: number;
  readonly price: number | undefined;
}

/** Instruments (for lot, IMR, MMR) and the starting or restored balance. */
export interface PaperAccountOptions {
  readonly instruments: readonly Instrument[];
  readonly collateral: number;
  readonly positions?: readonly Position[];
}

/** A symbol's position, updated in place; its instrument is resolved once, when it opens. */
interface MutablePosition {
  readonly symbol: string;
  readonly inst: Instrument | undefined;
  size: number;
  entryPrice: number;
  realizedPnl: number;
}

/**
 * Collateral and positions of one paper account. Realised PnL, fees and funding all settle into
 * collateral; equity = collateral + unrealised PnL at mark.
 */
export class PaperAccount {
  private collateralValue: number;
  private readonly instruments: ReadonlyMap<string, Instrument>;
  private readonly book = new Map<string, MutablePosition>();
  /**
   * The same positions in first-opened order (the book's; one is never removed, a closed one
   * stays at size 0), walked by index on every valuation: iterating the map allocated its
   * iterator and an entry array per position (about 11 MB a simulated day in state() alone).
   */
  private readonly held: MutablePosition[] = [];
  private fundingTotal = 0;
  private feesTotal = 0;
  private revisionCount = 0;
  /** Positions with a non-zero size: none open, nothing to value and nothing to liquidate. */
  private openCount = 0;
  /** The last {@link state} made with nothing open and no order, and the revision it was made at. */
  private flatState: { readonly revision: number; readonly state: AccountState } | null = null;

  /** @throws InputError (`E_INPUT_INVALID`) when a restored position names an unknown symbol. */
  constructor(opts: PaperAccountOptions) {
    this.instruments = new Map(opts.instruments.map((i) => [i.symbol, i]));
    this.collateralValue = Number.isFinite(opts.collateral) ? opts.collateral : 0;
    for (const p of opts.positions ?? []) {
      if (!this.instruments.has(p.symbol)) {
        throw new InputError('restore.positions', `unknown symbol ${p.symbol}`);
      }
      if (!Number.isFinite(p.size) || p.size === 0) continue;
      this.open({
        symbol: p.symbol,
        inst: this.instruments.get(p.symbol),
        size: p.size,
        entryPrice: Number.isFinite(p.entryPrice) ? p.entryPrice : 0,
        realizedPnl: Number.isFinite(p.realizedPnl) ? p.realizedPnl : 0,
      });
    }
    for (const p of this.held) if (p.size !== 0) this.openCount++;
  }

  /** Counts the changes to collateral and positions: equal revisions, equal account at equal marks. */
  get revision(): number {
    return this.revisionCount;
  }

  get collateral(): number {
    return this.collateralValue;
  }

  /** Total funding paid since start (negative = net received). */
  get fundingPaid(): number {
    return this.fundingTotal;
  }

  /** Total trading and liquidation fees paid since start (negative = net rebates). */
  get feesPaid(): number {
    return this.feesTotal;
  }

  /** Signed position size of `symbol` (0 when flat). */
  positionSize(symbol: string): number {
    return this.book.get(symbol)?.size ?? 0;
  }

  /** Non-zero positions, in first-opened order. */
  positions(): Position[] {
    const out: Position[] = [];
    for (const p of this.held) {
      if (p.size !== 0) out.push({ symbol: p.symbol, size: p.size, entryPrice: p.entryPrice, realizedPnl: p.realizedPnl });
    }
    return out;
  }

  /** Books a fill: moves the position, settles realised PnL and the fee into collateral. */
  applyFill(symbol: string, side: Side, price: number, size: number, fee: number): number {
    let cur = this.book.get(symbol);
    if (cur === undefined) {
      cur = { symbol, inst: this.instruments.get(symbol), size: 0, entryPrice: 0, realizedPnl: 0 };
      this.open(cur);
    }
    const lot = cur.inst?.lotSize ?? 1e-12;
    const eff = applyFillToPosition({ symbol, size: cur.size, entryPrice: cur.entryPrice, realizedPnl: cur.realizedPnl }, side, size, price, lot);
    this.openCount += (eff.position.size !== 0 ? 1 : 0) - (cur.size !== 0 ? 1 : 0);
    cur.size = eff.position.size;
    cur.entryPrice = eff.position.entryPrice;
    cur.realizedPnl = eff.position.realizedPnl;
    this.collateralValue += eff.realizedPnl - fee;
    this.feesTotal += fee;
    this.revisionCount++;
    return eff.realizedPnl;
  }

  /** Charges funding for `periods` intervals on the `symbol` position. Returns the amount paid. */
  payFunding(symbol: string, mark: number, rate: number, periods: number): number {
    const size = this.positionSize(symbol);
    if (size === 0 || !Number.isFinite(mark) || !Number.isFinite(rate)) return 0;
    const paid = fundingPayment(size, mark, rate, periods);
    this.collateralValue -= paid;
    this.fundingTotal += paid;
    this.revisionCount++;
    return paid;
  }

  /** Σ unrealised PnL at mark (a position without a mark counts at its entry: 0). */
  unrealizedPnl(markOf: PriceOf): number {
    let total = 0;
    const held = this.held;
    for (let i = 0; i < held.length; i++) {
      const p = held[i]!;
      if (p.size === 0) continue;
      total += unrealizedPnl(p.size, p.entryPrice, markOf(p.symbol) ?? p.entryPrice);
    }
    return total;
  }

  equity(markOf: PriceOf): number {
    return this.collateralValue + this.unrealizedPnl(markOf);
  }

  /** Initial margin of positions plus `orders` (Σ|size|·mark·IMR). */
  initialMargin(markOf: PriceOf, orders: readonly OrderExposure[] = []): number {
    return this.ordersMargin(markOf, this.positionMargin(markOf, 'initial'), orders);
  }

  /** `positions` (the positions' initial margin) plus the initial margin of `orders`, added in order. */
  private ordersMargin(markOf: PriceOf, positions: number, orders: readonly OrderExposure[]): number {
    let total = positions;
    for (const o of orders) {
      const inst = this.instruments.get(o.symbol);
      const px = markOf(o.symbol) ?? o.price;
      if (inst === undefined || px === undefined) continue;
      total += marginFor(o.size, px, inst.initialMarginRatio);
    }
    return total;
  }

  /** Maintenance margin of positions (Σ|size|·mark·MMR). */
  maintenanceMargin(markOf: PriceOf): number {
    return this.positionMargin(markOf, 'maintenance');
  }

  /**
   * Account view: `initialMargin` covers positions; `freeCollateral` also reserves the initial
   * margin of `openOrders`, as the arrival check does. Floored at 0.
   */
  state(markOf: PriceOf, openOrders: readonly OrderExposure[] = []): AccountState {
    // Nothing open and no order: the view is the collateral alone, whatever the marks, so the last
    // one made so is returned again until the collateral may have moved (a new revision). The
    // runtime reads the account every market second, mostly of a flat book (54k of 86k reads a
    // simulated day on seed 1).
    if (this.openCount === 0 && openOrders.length === 0) {
      const flat = this.flatState;
      if (flat !== null && flat.revision === this.revisionCount) return flat.state;
    }
    // One pass for the three position sums; each adds in the same order as unrealizedPnl(),
    // initialMargin() and maintenanceMargin() do, so every figure is the same to the last bit.
    let upnl = 0;
    let initial = 0;
    let maintenance = 0;
    if (this.openCount > 0) {
      const held = this.held;
      for (let i = 0; i < held.length; i++) {
        const p = held[i]!;
        if (p.size === 0) continue;
        const px = markOf(p.symbol) ?? p.entryPrice;
        upnl += unrealizedPnl(p.size, p.entryPrice, px);
        const inst = p.inst;
        if (inst === undefined) continue;
        initial += marginFor(p.size, px, inst.initialMarginRatio);
        maintenance += marginFor(p.size, px, inst.maintenanceMarginRatio);
      }
    }
    const equity = this.collateralValue + upnl;
    const reserved = this.ordersMargin(markOf, initial, openOrders);
    const state: AccountState = {
      equity,
      collateral: this.collateralValue,
      freeCollateral: Math.max(0, equity - reserved),
      initialMargin: initial,
      maintenanceMargin: maintenance,
    };
    if (this.openCount === 0 && openOrders.length === 0) this.flatState = { revision: this.revisionCount, state };
    return state;
  }

  /** True when some position is open and equity has fallen below maintenance margin. */
  isLiquidatable(markOf: PriceOf): boolean {
    // Asked on every market event: one pass, nothing allocated; each sum adds in the same order
    // as equity() and maintenanceMargin(), so the answer is the same to the last bit.
    if (this.openCount === 0) return false;
    let upnl = 0;
    let maintenance = 0;
    const held = this.held;
    for (let i = 0; i < held.length; i++) {
      const p = held[i]!;
      if (p.size === 0) continue;
      const px = markOf(p.symbol) ?? p.entryPrice;
      upnl += unrealizedPnl(p.size, p.entryPrice, px);
      const inst = p.inst;
      if (inst !== undefined) maintenance += marginFor(p.size, px, inst.maintenanceMarginRatio);
    }
    return this.collateralValue + upnl < maintenance;
  }

  /**
   * How far the marks may move from where `markOf` puts them now, measured as Σ over symbols of
   * {@link markWeight} × |mark move|, with {@link isLiquidatable} still false: half the cushion
   * of equity above maintenance margin (+∞ with nothing open), or 0 when the account is
   * liquidatable or too close to call.
   *
   * Why it holds for the doubles, not only the reals: equity − maintenance moves by at most
   * |size|·(1 + |MMR|) per unit of a symbol's mark, so within the drift it stays above half the
   * cushion; the cushion is over {@link CUSHION_SHARE} of the terms summed, and the rounding of
   * those sums (at these marks or at any within the drift, where the terms at most double) is
   * orders of magnitude smaller, so the computed comparison gives the same answer.
   */
  safeMarkDrift(markOf: PriceOf): number {
    if (this.openCount === 0) return Number.POSITIVE_INFINITY;
    let upnl = 0;
    let maintenance = 0;
    let scale = Math.abs(this.collateralValue);
    const held = this.held;
    for (let i = 0; i < held.length; i++) {
      const p = held[i]!;
      if (p.size === 0) continue;
      const px = markOf(p.symbol) ?? p.entryPrice;
      upnl += unrealizedPnl(p.size, p.entryPrice, px);
      const mmr = p.inst === undefined ? 0 : p.inst.maintenanceMarginRatio;
      if (p.inst !== undefined) maintenance += marginFor(p.size, px, mmr);
      scale += Math.abs(p.size) * (Math.abs(px) + Math.abs(p.entryPrice)) * (1 + Math.abs(mmr));
    }
    const cushion = this.collateralValue + upnl - maintenance;
    if (!Number.isFinite(cushion) || !Number.isFinite(scale) || !(cushion > CUSHION_SHARE * scale)) return 0;
    return cushion / 2;
  }

  /** The weight of a move of `symbol`'s mark in {@link safeMarkDrift}: |size|·(1 + |MMR|), 0 when flat. */
  markWeight(symbol: string): number {
    const p = this.book.get(symbol);
    if (p === undefined || p.size === 0) return 0;
    return Math.abs(p.size) * (1 + Math.abs(p.inst === undefined ? 0 : p.inst.maintenanceMarginRatio));
  }

  /**
   * A negative balance after liquidation is absorbed (as an insurance fund would): collateral is
   * floored at 0. Returns the amount absorbed.
   */
  absorbShortfall(): number {
    if (this.collateralValue >= 0) return 0;
    const shortfall = -this.collateralValue;
    this.collateralValue = 0;
    this.revisionCount++;
    return shortfall;
  }

  private positionMargin(markOf: PriceOf, kind: 'initial' | 'maintenance'): number {
    let total = 0;
    const held = this.held;
    for (let i = 0; i < held.length; i++) {
      const p = held[i]!;
      const inst = p.inst;
      if (p.size === 0 || inst === undefined) continue;
      const ratio = kind === 'initial' ? inst.initialMarginRatio : inst.maintenanceMarginRatio;
      total += marginFor(p.size, markOf(p.symbol) ?? p.entryPrice, ratio);
    }
    return total;
  }

  /**
   * Adds a symbol's position (it stays, at size 0 once closed): in the book and, in the same
   * order, in {@link held}. A symbol restored twice keeps its first place, as Map.set does.
   */
  private open(p: MutablePosition): void {
    const prev = this.book.get(p.symbol);
    if (prev === undefined) this.held.push(p);
    else this.held[this.held.indexOf(prev)] = p;
    this.book.set(p.symbol, p);
  }
}
