/**
 * The few Drift calls the venue needs, in Drift's integer units (price and quote 1e6, base 1e9)
 * as plain numbers (exact below 2^53: 9,007 BTC at 1e9 or $9bn at 1e6). The real implementation
 * wraps DriftClient/User (drift-sdk-client.ts); tests use a hand-written fake.
 */

export type RawDirection = 'long' | 'short';

/** An order resting on the user account. */
export interface RawAccountOrder {
  readonly orderId: number;
  /** 1–255, 0 when the order was placed without one (not ours). */
  readonly userOrderId: number;
  readonly marketIndex: number;
  readonly direction: RawDirection;
  readonly price: number;
  readonly baseAssetAmount: number;
  readonly baseAssetAmountFilled: number;
  readonly reduceOnly: boolean;
  readonly postOnly: boolean;
}

/** The user account's resting orders as of `slot`. */
export interface RawAccountView {
  readonly slot: number;
  readonly orders: readonly RawAccountOrder[];
}

export interface RawOrderParams {
  readonly marketIndex: number;
  readonly direction: RawDirection;
  readonly price: number;
  readonly baseAssetAmount: number;
  readonly userOrderId: number;
  readonly reduceOnly: boolean;
  readonly postOnly: boolean;
  readonly immediateOrCancel: boolean;
}

/** What the program logged about an order of this user (OrderRecord / OrderActionRecord). */
export type RawOrderEvent =
  | {
      readonly type: 'place';
      readonly orderId: number;
      readonly userOrderId: number;
      readonly marketIndex: number;
      readonly ts: number;
      readonly txSig: string;
    }
  | {
      readonly type: 'fill';
      /** fillRecordId: unique per market, the fill's idempotency key with the market index. */
      readonly fillRecordId: number;
      readonly orderId: number;
      readonly marketIndex: number;
      readonly direction: RawDirection;
      readonly baseAssetAmountFilled: number;
      readonly quoteAssetAmountFilled: number;
      /** Fee paid (1e6); negative is a rebate. */
      readonly fee: number;
      readonly liquidity: 'maker' | 'taker';
      readonly ts: number;
      readonly txSig: string;
    }
  | {
      readonly type: 'cancel' | 'expire';
      readonly orderId: number;
      readonly marketIndex: number;
      readonly ts: number;
      readonly explanation: string;
      readonly txSig: string;
    };

/** Why a transaction failed, as far as the sender can tell. */
export type RawTxFailure =
  /** Refused before it could land (simulation or preflight error, bad params): nothing happened. */
  | 'rejected'
  /** Sent, but no confirmation within the timeout: it may still land until its blockhash expires. */
  | 'unconfirmed'
  /** The RPC call itself failed mid-flight (socket, 5xx): it may or may not have been sent. */
  | 'network';

export class RawTxError extends Error {
  constructor(
    readonly failure: RawTxFailure,
    message: string,
    readonly txSig: string | null = null,
  ) {
    super(message);
    this.name = 'RawTxError';
  }
}

/** A landed transaction and the order events its logs carry. */
export interface RawTxResult {
  readonly txSig: string;
  /** Slot the transaction landed in. */
  readonly slot: number;
  readonly events: readonly RawOrderEvent[];
}

/** Where a previously sent transaction stands. */
export type RawTxStatus =
  | { readonly status: 'confirmed'; readonly slot: number; readonly events: readonly RawOrderEvent[] }
  /** Landed with a program error: the order was refused. */
  | { readonly status: 'failed'; readonly reason: string }
  /** Not seen yet and its blockhash is still valid: it may land. */
  | { readonly status: 'pending' }
  /** Never landed and its blockhash expired: it never will. */
  | { readonly status: 'dropped' };

/** A signed transaction as handed to the RPC: what settles its fate later, persisted before the send. */
export interface SentTx {
  readonly txSig: string;
  readonly blockhash: string;
  /** The last block height at which the blockhash is valid: past it the transaction can never land. */
  readonly lastValidBlockHeight: number;
}

/** What bounds a sent transaction's life, as persisted with its signature. */
export interface TxExpiry {
  /** From the blockhash the transaction was signed with; null for records written before it was kept. */
  readonly lastValidBlockHeight: number | null;
  /** Wall ms it was signed: only a fallback for records without `lastValidBlockHeight`. */
  readonly sentAt: number;
}

/** A blockhash lives ~150 slots (60–90 s); the wall-clock bound used only when no block height was kept. */
export const LEGACY_BLOCKHASH_LIFETIME_MS = 150_000;

/**
 * The fate of a transaction whose signature status is null (never seen): dropped only once the
 * chain's block height, read *before* that status, is past the blockhash's last valid height
 * (Drift keeper bots, `txSender.ts`; web3.js `confirmTransaction`); until then it may still land.
 * A record without the height falls back to the wall clock since signing. Pure.
 */
export function unseenTxFate(blockHeight: number | null, expiry: TxExpiry, now: number): 'pending' | 'dropped' {
  if (expiry.lastValidBlockHeight !== null) return blockHeight !== null && blockHeight > expiry.lastValidBlockHeight ? 'dropped' : 'pending';
  return now - expiry.sentAt > LEGACY_BLOCKHASH_LIFETIME_MS ? 'dropped' : 'pending';
}

/** Margin numbers from the SDK's User, quote units 1e6 unless said. */
export interface RawMargin {
  readonly totalCollateral: number;
  readonly freeCollateral: number;
  readonly initialMargin: number;
  readonly maintenanceMargin: number;
  /** Net USD value of the account (deposits + unrealised PnL). */
  readonly netUsdValue: number;
  /** 0–100. */
  readonly health: number;
  /** Leverage × 1e4 (MARGIN_PRECISION). */
  readonly leverage: number;
}

export interface RawPerpPosition {
  readonly marketIndex: number;
  readonly baseAssetAmount: number;
  readonly quoteEntryAmount: number;
  readonly settledPnl: number;
  /** Price 1e6 at which this position liquidates the account; -1 when none (the SDK's value). */
  readonly liquidationPrice: number;
}

export interface DriftRawClient {
  /** Orders resting on the user account, and the slot of that account state. */
  openOrders(): Promise<RawAccountView>;
  /**
   * Sends a place-order transaction and waits for its confirmation; `onSent` learns the signature
   * and blockhash expiry before anything leaves (the caller persists them). @throws RawTxError
   */
  placePerpOrder(p: RawOrderParams, onSent: (sent: SentTx) => void): Promise<RawTxResult>;
  /** @throws RawTxError */
  cancelOrderByUserId(userOrderId: number): Promise<RawTxResult>;
  /** Cancels every order of the subaccount, optionally of one market. @throws RawTxError */
  cancelOrders(marketIndex: number | null): Promise<RawTxResult>;
  /**
   * Where a sent transaction stands (paced by the raw client): `dropped` only once the block
   * height is past `expiry.lastValidBlockHeight` with no status (see unseenTxFate).
   */
  txStatus(txSig: string, expiry: TxExpiry): Promise<RawTxStatus>;
  /**
   * Order events of this user since `ts` (ms), oldest first: the backfill after a reconnect.
   * Paces its own RPC calls (one per transaction) through the RPC limiter.
   */
  eventsSince(ts: number): Promise<readonly RawOrderEvent[]>;
  /** Live order events of this user; `onReconnect` fires after the event stream was interrupted. */
  subscribe(onEvent: (e: RawOrderEvent) => void, onReconnect: () => void): void;
  margin(): Promise<RawMargin>;
  positions(): Promise<readonly RawPerpPosition[]>;
  close(): Promise<void>;
}
