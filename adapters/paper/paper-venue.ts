/**
 * The paper venue: a perp exchange simulated over whatever market data the runtime feeds it
 * (simulated, replayed, live). Orders and cancels reach the matching engine after the configured
 * one-way latency on the injected clock; the ack resolves then, reflecting any immediate fills.
 */
import type { Clock } from '../../src/core/clock.js';
import { VenueRejectError } from '../../src/core/errors.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import type { AccountState, Fill, Instrument, MarketEvent, OrderRequest, Position } from '../../src/core/types.js';
import type {
  FillListener,
  OrderUpdateListener,
  Venue,
  VenueCapabilities,
  VenueOrder,
} from '../../src/core/venue.js';
import { PAPER_MAX_CLIENT_ORDER_ID_LENGTH } from './order-request-check.js';
import { paperConfigSchema, type PaperConfig } from './paper-config.js';
import { PaperMatchingEngine, type PaperStats } from './paper-matching-engine.js';

/** State a restarted paper run continues from. */
export interface PaperRestoreState {
  readonly collateral: number;
  readonly positions: readonly Position[];
}

/** Constructor options of {@link PaperVenue}. */
export interface PaperVenueOptions {
  readonly clock: Clock;
  readonly instruments: readonly Instrument[];
  readonly config: PaperConfig;
  readonly logger?: Logger;
  /** Venue name reported to the runtime; default `paper`. */
  readonly name?: string;
  /** Continue with this collateral and these positions instead of `startingCollateral`. */
  readonly restore?: PaperRestoreState;
  /**
   * Prefix of every id the venue makes (`P<prefix><n>`, `paper-<prefix><n>`, `liq-<prefix><n>`).
   * A restarted run must pass a new one: fills are idempotent on trade ids.
   */
  readonly idPrefix?: string;
}

/** What the paper venue supports natively. */
export const PAPER_CAPABILITIES: VenueCapabilities = {
  postOnly: true,
  ioc: true,
  reduceOnly: true,
  maxClientOrderIdLength: PAPER_MAX_CLIENT_ORDER_ID_LENGTH,
};

/**
 * {@link Venue} backed by the deterministic paper matching engine. Call {@link onMarketEvent} for
 * every market event before the strategy sees it. Listeners run synchronously inside clock timers
 * and `onMarketEvent`.
 */
export class PaperVenue implements Venue {
  readonly name: string;
  readonly capabilities: VenueCapabilities = PAPER_CAPABILITIES;
  private readonly clock: Clock;
  private readonly latencyMs: number;
  private readonly instrumentList: readonly Instrument[];
  private readonly engine: PaperMatchingEngine;
  private readonly fillListeners: FillListener[] = [];
  private readonly updateListeners: OrderUpdateListener[] = [];

  /** @throws ZodError when `config` is invalid; InputError when `restore` names an unknown symbol. */
  constructor(opts: PaperVenueOptions) {
    const config = paperConfigSchema.parse(opts.config);
    this.name = opts.name ?? 'paper';
    this.clock = opts.clock;
    this.latencyMs = config.latencyMs;
    this.instrumentList = [...opts.instruments];
    const logger = (opts.logger ?? silentLogger).child({ venue: this.name });
    this.engine = new PaperMatchingEngine({
      clock: opts.clock,
      instruments: this.instrumentList,
      config,
      logger,
      sink: {
        fill: (f) => {
          for (const l of this.fillListeners) this.callSafely(logger, () => l(f));
        },
        update: (u) => {
          for (const l of this.updateListeners) this.callSafely(logger, () => l(u));
        },
      },
      ...(opts.restore === undefined ? {} : { restore: opts.restore }),
      ...(opts.idPrefix === undefined ? {} : { idPrefix: opts.idPrefix }),
    });
  }

  instruments(): Promise<readonly Instrument[]> {
    return Promise.resolve(this.instrumentList);
  }

  /**
   * Sends `req`; it reaches the engine after the latency and the promise settles then.
   * @throws VenueRejectError (`E_VENUE_REJECTED`); `details.reason` is a `PaperRejectReason`.
   */
  placeOrder(req: OrderRequest): Promise<VenueOrder> {
    const sent: OrderRequest = { ...req }; // what was sent, even if the caller mutates `req` meanwhile
    return new Promise((resolve, reject) => {
      this.clock.setTimer(this.latencyMs, () => {
        try {
          const r = this.engine.arrive(sent);
          if (r.ok) {
            resolve(r.order);
            return;
          }
          reject(rejectError(`${this.name}: order ${sent.clientOrderId} rejected: ${r.reason}`, { reason: r.reason, clientOrderId: sent.clientOrderId, symbol: sent.symbol }));
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
  }

  /** Resolves once the cancel reached the engine, whether or not there was anything to cancel. */
  cancelOrder(clientOrderId: string, symbol: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.clock.setTimer(this.latencyMs, () => {
        try {
          this.engine.cancel(clientOrderId, symbol);
          resolve();
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
  }

  openOrders(): Promise<readonly VenueOrder[]> {
    return Promise.resolve(this.engine.openOrders());
  }

  lookupOrder(clientOrderId: string, symbol: string): Promise<VenueOrder | null> {
    return Promise.resolve(this.engine.lookup(clientOrderId, symbol));
  }

  fillsSince(ts: number): Promise<readonly Fill[]> {
    return Promise.resolve(this.engine.fillsSince(ts));
  }

  positions(): Promise<readonly Position[]> {
    return Promise.resolve(this.engine.positions());
  }

  account(): Promise<AccountState> {
    return Promise.resolve(this.engine.accountState());
  }

  /** The account now, without a promise (the engine holds it in memory). */
  accountNow(): AccountState {
    return this.engine.accountState();
  }

  onFill(listener: FillListener): void {
    this.fillListeners.push(listener);
  }

  onOrderUpdate(listener: OrderUpdateListener): void {
    this.updateListeners.push(listener);
  }

  /** Feeds one market event (book, trade or mark) to the engine. Call before the strategy sees it. */
  onMarketEvent(ev: MarketEvent): void {
    this.engine.onMarketEvent(ev);
  }

  /** Whether the print `ev` would change nothing in the engine: the runtime may pass it over. */
  ignoresPrint(ev: MarketEvent): boolean {
    return this.engine.ignoresPrint(ev);
  }

  /**
   * What the account holds and has resting in `symbol` now: signed position and resting buys minus
   * resting sells (base units). Read by the replay's `adverse` path at each candle's start.
   */
  exposure(symbol: string): { position: number; restingNet: number } {
    return this.engine.exposure(symbol);
  }

  /** Total funding paid since start (negative = net received). */
  fundingPaid(): number {
    return this.engine.stats().fundingPaid;
  }

  /** Running totals: funding, fees, liquidations, absorbed shortfall, fill count. */
  stats(): PaperStats {
    return this.engine.stats();
  }

  /** Collateral and positions now, to pass back as `restore` after a restart. */
  snapshot(): PaperRestoreState {
    return { collateral: this.engine.collateral(), positions: this.engine.positions() };
  }

  /** The collateral now (`snapshot().collateral`, without valuing the account or listing positions). */
  collateral(): number {
    return this.engine.collateral();
  }

  /** One throwing listener must neither skip the others nor break the engine mid-update. */
  private callSafely(logger: Logger, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      logger.error({ err }, 'paper venue listener threw');
    }
  }
}

export type { PaperStats } from './paper-matching-engine.js';
export type { PaperRejectReason } from './order-request-check.js';

/**
 * A paper reject is the venue's answer, not a fault in the code: its VenueRejectError carries no
 * stack trace (capturing one per reject walked the stack of a timer callback for nothing).
 */
function rejectError(message: string, details: Record<string, unknown>): VenueRejectError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new VenueRejectError(message, details);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
