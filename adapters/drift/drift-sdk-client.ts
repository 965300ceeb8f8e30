import { ComputeBudgetProgram, Connection, PublicKey, TransactionMessage, VersionedTransaction, type Keypair, type TransactionInstruction } from '@solana/web3.js';
import {
  BN,
  DriftClient,
  MarketType,
  OrderParamsBitFlag,
  PositionDirection,
  PostOnlyParams,
  PriorityFeeSubscriber,
  Wallet,
  getLimitOrderParams,
  isVariant,
  parseLogs,
  type OptionalOrderParams,
  type User,
} from '@drift-labs/sdk';
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { LimiterClass, WeightedLimiter } from '../../src/core/weighted-limiter.js';
import { RPC_COST } from './drift-quirks.js';
import { base58 } from './base58.js';
import { GuardedAccountLoader } from './drift-account-loader.js';
import { rpcFetch } from './drift-rpc-fetch.js';
import { orderEventsFor, type ParsedDriftEvent } from './drift-events.js';
import {
  RawTxError,
  type DriftRawClient,
  type RawAccountView,
  type RawMargin,
  type RawOrderEvent,
  type RawOrderParams,
  type RawPerpPosition,
  type RawTxResult,
  type RawTxStatus,
  type SentTx,
  type TxExpiry,
  LEGACY_BLOCKHASH_LIFETIME_MS,
  unseenTxFate,
} from './drift-raw-client.js';

export interface DriftSdkClientOptions {
  readonly rpcUrl: string;
  readonly env: 'mainnet-beta' | 'devnet';
  readonly programId: string;
  readonly keypair: Keypair;
  readonly subAccountId: number;
  readonly perpMarketIndexes: readonly number[];
  readonly settlementMarketIndex: number;
  readonly accountRefreshMs: number;
  readonly confirmTimeoutMs: number;
  readonly priorityFee: { readonly mode: 'fixed' | 'dynamic'; readonly microLamports: number; readonly maxMicroLamports: number; readonly computeUnits: number };
  readonly wall: Clock;
  readonly logger: Logger;
  /** The account's limiter (shared with the venue): every RPC call made here spends the `rpc` budget. */
  readonly limiter: WeightedLimiter;
}

/** Transactions fetched per backfill at most (newest kept): bounds a start-up after a long pause. */
const MAX_BACKFILL_TXS = 200;

/** The logs websocket can drop silently: backfill from the account's signatures this often. */
const BACKFILL_EVERY_MS = 30_000;

/**
 * The raw-client seam over the real SDK: a DriftClient and its User polled through one
 * (guarded) BulkAccountLoader (RPC cost bounded by `accountRefreshMs`), transactions built, signed and sent
 * here so the signature is known (and persisted) before the send, order events parsed from the
 * program's logs.
 */
export class DriftSdkClient implements DriftRawClient {
  readonly client: DriftClient;
  readonly connection: Connection;
  private readonly o: DriftSdkClientOptions;
  private user!: User;
  private fees: PriorityFeeSubscriber | null = null;
  private logsSub: number | null = null;
  private backfillTimer: TimerHandle | null = null;
  private readonly sentAt = new Map<string, number>();

  constructor(o: DriftSdkClientOptions) {
    this.o = o;
    this.connection = new Connection(o.rpcUrl, { commitment: 'confirmed', fetch: rpcFetch(o.limiter, o.logger, o.wall) });
    this.client = new DriftClient({
      connection: this.connection,
      wallet: new Wallet(o.keypair),
      env: o.env,
      programID: new PublicKey(o.programId),
      subAccountIds: [o.subAccountId],
      activeSubAccountId: o.subAccountId,
      perpMarketIndexes: [...o.perpMarketIndexes],
      spotMarketIndexes: [o.settlementMarketIndex],
      accountSubscription: { type: 'polling', accountLoader: new GuardedAccountLoader(this.connection, 'confirmed', o.accountRefreshMs, o.logger) },
      txParams: { computeUnits: o.priorityFee.computeUnits, computeUnitsPrice: o.priorityFee.microLamports },
    });
  }

  /** @throws Error when the subscription or the user account did not load (nothing may trade on empty data). */
  async open(): Promise<void> {
    const subscribed = await this.client.subscribe();
    this.user = this.client.getUser(this.o.subAccountId);
    if (!subscribed || !this.user.getUserAccountAndSlot()) {
      throw new Error(`drift: the subscription to subaccount ${this.o.subAccountId} and its markets did not load over RPC (DRIFT_RPC_URL or drift.urls.rpc)`);
    }
    if (this.o.priorityFee.mode === 'dynamic') {
      this.fees = new PriorityFeeSubscriber({
        connection: this.connection,
        frequencyMs: 5_000,
        addresses: [this.user.userAccountPublicKey],
        maxFeeMicroLamports: this.o.priorityFee.maxMicroLamports,
      });
      await this.fees.subscribe();
    }
  }

  async openOrders(): Promise<RawAccountView> {
    const ds = this.user.getUserAccountAndSlot();
    if (!ds) return { slot: 0, orders: [] };
    const orders = ds.data.orders
      .filter((x) => isVariant(x.status, 'open') && isVariant(x.marketType, 'perp'))
      .map((x) => ({
        orderId: x.orderId,
        userOrderId: x.userOrderId,
        marketIndex: x.marketIndex,
        direction: isVariant(x.direction, 'short') ? ('short' as const) : ('long' as const),
        price: Number(x.price.toString()),
        baseAssetAmount: Number(x.baseAssetAmount.toString()),
        baseAssetAmountFilled: Number(x.baseAssetAmountFilled.toString()),
        reduceOnly: x.reduceOnly,
        postOnly: x.postOnly,
      }));
    return { slot: ds.slot, orders };
  }

  async placePerpOrder(p: RawOrderParams, onSent: (sent: SentTx) => void): Promise<RawTxResult> {
    const ix = await this.client.getPlacePerpOrderIx(orderParams(p), this.o.subAccountId);
    return this.send(ix, onSent);
  }

  async cancelOrderByUserId(userOrderId: number): Promise<RawTxResult> {
    let ix: TransactionInstruction;
    try {
      ix = await this.client.getCancelOrderByUserIdIx(userOrderId, this.o.subAccountId);
    } catch (e) {
      // The SDK looks the order up on the account: not there = nothing to cancel (filled or gone).
      throw new RawTxError('rejected', `no resting order with user order id ${userOrderId}: ${(e as Error).message}`);
    }
    return this.send(ix, () => undefined);
  }

  async cancelOrders(marketIndex: number | null): Promise<RawTxResult> {
    const ix = await this.client.getCancelOrdersIx(marketIndex === null ? null : MarketType.PERP, marketIndex, null, this.o.subAccountId);
    return this.send(ix, () => undefined);
  }

  async txStatus(txSig: string, expiry: TxExpiry): Promise<RawTxStatus> {
    // The height first: a transaction landing between the two reads then shows in the status, and
    // a null status after a height past the expiry proves it never landed.
    const height = expiry.lastValidBlockHeight === null ? null : await this.q(() => this.connection.getBlockHeight('confirmed'));
    const st = (await this.q(() => this.connection.getSignatureStatus(txSig, { searchTransactionHistory: true }))).value;
    if (st === null) return { status: unseenTxFate(height, { ...expiry, sentAt: this.sentAt.get(txSig) ?? expiry.sentAt }, this.o.wall.now()) };
    if (st.err !== null) return { status: 'failed', reason: JSON.stringify(st.err) };
    if (st.confirmationStatus === 'processed') return { status: 'pending' };
    return { status: 'confirmed', slot: st.slot, events: await this.eventsOf(txSig) };
  }

  async eventsSince(ts: number): Promise<readonly RawOrderEvent[]> {
    const sigs = await this.q(() => this.connection.getSignaturesForAddress(this.user.userAccountPublicKey, { limit: MAX_BACKFILL_TXS }, 'confirmed'));
    const out: RawOrderEvent[] = [];
    // Newest first from the RPC; walk oldest first so places come before their fills.
    for (const s of [...sigs].reverse()) {
      if (s.err !== null || (s.blockTime ?? 0) * 1000 < ts - 1000) continue;
      out.push(...(await this.eventsOf(s.signature)));
    }
    if (sigs.length === MAX_BACKFILL_TXS && (sigs.at(-1)?.blockTime ?? 0) * 1000 > ts) {
      this.o.logger.warn({ since: ts, fetched: sigs.length }, 'drift: backfill capped; older order events were not read');
    }
    return out;
  }

  subscribe(onEvent: (e: RawOrderEvent) => void, onReconnect: () => void): void {
    this.logsSub = this.connection.onLogs(
      this.user.userAccountPublicKey,
      (logs) => {
        if (logs.err !== null) return;
        try {
          for (const e of orderEventsFor(this.user.userAccountPublicKey, this.parse(logs.logs), logs.signature)) onEvent(e);
        } catch (err) {
          // Dropped here, read again by the next backfill (web3.js would only print it).
          this.o.logger.error({ err: (err as Error).message, txSig: logs.signature }, 'drift: order events of a transaction could not be applied');
        }
      },
      'confirmed',
    );
    const tick = (): void => {
      onReconnect();
      this.backfillTimer = this.o.wall.setTimer(BACKFILL_EVERY_MS, tick);
    };
    this.backfillTimer = this.o.wall.setTimer(BACKFILL_EVERY_MS, tick);
  }

  async margin(): Promise<RawMargin> {
    const u = this.user;
    const n = (b: BN): number => Number(b.toString());
    return {
      totalCollateral: n(u.getTotalCollateral()),
      freeCollateral: n(u.getFreeCollateral()),
      initialMargin: n(u.getInitialMarginRequirement()),
      maintenanceMargin: n(u.getMaintenanceMarginRequirement()),
      netUsdValue: n(u.getNetUsdValue()),
      health: u.getHealth(),
      leverage: n(u.getLeverage()),
    };
  }

  async positions(): Promise<readonly RawPerpPosition[]> {
    return rawPositions(this.user);
  }

  async close(): Promise<void> {
    if (this.backfillTimer) this.o.wall.cancelTimer(this.backfillTimer);
    if (this.logsSub !== null) await this.connection.removeOnLogsListener(this.logsSub);
    await this.fees?.unsubscribe();
    await this.client.unsubscribe();
  }

  private parse(logs: string[]): ParsedDriftEvent[] {
    return parseLogs(this.client.program, logs, this.client.program.programId.toBase58()) as unknown as ParsedDriftEvent[];
  }

  private async eventsOf(txSig: string): Promise<RawOrderEvent[]> {
    return (await this.landed(txSig))?.events ?? [];
  }

  /** A landed transaction's slot and our order events; null when the RPC does not have it (yet). */
  private async landed(txSig: string, cls: LimiterClass = 'query'): Promise<{ slot: number; events: RawOrderEvent[] } | null> {
    const tx = await this.q(() => this.connection.getTransaction(txSig, { commitment: 'confirmed', maxSupportedTransactionVersion: 0 }), cls);
    if (!tx) return null;
    const logs = tx.meta?.logMessages;
    if (!logs || tx.meta?.err) return { slot: tx.slot, events: [] };
    return { slot: tx.slot, events: orderEventsFor(this.user.userAccountPublicKey, this.parse(logs), txSig) };
  }

  /** Backfills and lookups are queries; the calls inside a transaction already sent go first. */
  private q<T>(fn: () => Promise<T>, cls: LimiterClass = 'query'): Promise<T> {
    return this.o.limiter.schedule(cls, RPC_COST, fn);
  }

  private priorityFee(): number {
    if (this.fees === null) return this.o.priorityFee.microLamports;
    const dynamic = this.fees.getCustomStrategyResult();
    // No sample yet (or a bad one): the fixed fee rather than none.
    if (!(Number.isFinite(dynamic) && dynamic > 0)) return this.o.priorityFee.microLamports;
    return Math.min(this.o.priorityFee.maxMicroLamports, Math.ceil(dynamic));
  }

  /** Signs (signature known before the send), sends with preflight, waits for confirmation. */
  private async send(ix: TransactionInstruction, onSent: (sent: SentTx) => void): Promise<RawTxResult> {
    let bh: { blockhash: string; lastValidBlockHeight: number };
    try {
      bh = await this.q(() => this.connection.getLatestBlockhash('confirmed'), 'cancel');
    } catch (e) {
      throw new RawTxError('rejected', `no blockhash (nothing sent): ${(e as Error).message}`);
    }
    const msg = new TransactionMessage({
      payerKey: this.o.keypair.publicKey,
      recentBlockhash: bh.blockhash,
      instructions: [
        ComputeBudgetProgram.setComputeUnitLimit({ units: this.o.priorityFee.computeUnits }),
        ComputeBudgetProgram.setComputeUnitPrice({ microLamports: this.priorityFee() }),
        ix,
      ],
    }).compileToV0Message();
    const tx = new VersionedTransaction(msg);
    tx.sign([this.o.keypair]);
    const sig = base58(tx.signatures[0]!);
    this.forgetOldSends();
    this.sentAt.set(sig, this.o.wall.now());
    onSent({ txSig: sig, blockhash: bh.blockhash, lastValidBlockHeight: bh.lastValidBlockHeight });
    try {
      await this.connection.sendRawTransaction(tx.serialize(), { skipPreflight: false, preflightCommitment: 'confirmed', maxRetries: 0 });
    } catch (e) {
      // A preflight (simulation) failure carries logs: the transaction was refused, not sent.
      const logs = (e as { logs?: unknown }).logs;
      if (Array.isArray(logs)) throw new RawTxError('rejected', (e as Error).message, sig);
      throw new RawTxError('network', (e as Error).message, sig);
    }
    const confirmed = await this.confirm(sig, bh);
    if (confirmed === 'timeout') throw new RawTxError('unconfirmed', `not confirmed within ${this.o.confirmTimeoutMs} ms`, sig);
    if (confirmed !== null) throw new RawTxError('rejected', `landed with an error: ${confirmed}`, sig);
    const got = await this.landed(sig, 'cancel');
    // Confirmed but not served yet by getTransaction: the slot is unknown, so report it as the
    // highest possible one; no account view can then prove the order gone (see settleAgainstAccount).
    return { txSig: sig, slot: got?.slot ?? Number.MAX_SAFE_INTEGER, events: got?.events ?? [] };
  }

  /** Send times past any blockhash lifetime are of no use to txStatus (records keep theirs). */
  private forgetOldSends(): void {
    const cutoff = this.o.wall.now() - 2 * LEGACY_BLOCKHASH_LIFETIME_MS;
    for (const [sig, at] of this.sentAt) {
      if (at >= cutoff) break; // insertion order is send order
      this.sentAt.delete(sig);
    }
  }

  /** null when confirmed without error; the error text; or 'timeout'. */
  private confirm(sig: string, bh: { blockhash: string; lastValidBlockHeight: number }): Promise<string | null | 'timeout'> {
    return new Promise((resolve) => {
      const timer = this.o.wall.setTimer(this.o.confirmTimeoutMs, () => resolve('timeout'));
      this.connection
        .confirmTransaction({ signature: sig, blockhash: bh.blockhash, lastValidBlockHeight: bh.lastValidBlockHeight }, 'confirmed')
        .then((r) => resolve(r.value.err === null ? null : JSON.stringify(r.value.err)))
        .catch(() => resolve('timeout'))
        .finally(() => this.o.wall.cancelTimer(timer));
    });
  }
}

/** Our order params as the SDK's: a LIMIT order, MUST_POST_ONLY, the IOC bit flag, reduce-only. */
export function orderParams(p: RawOrderParams): OptionalOrderParams {
  return getLimitOrderParams({
    marketIndex: p.marketIndex,
    direction: p.direction === 'long' ? PositionDirection.LONG : PositionDirection.SHORT,
    baseAssetAmount: new BN(p.baseAssetAmount),
    price: new BN(p.price),
    userOrderId: p.userOrderId,
    reduceOnly: p.reduceOnly,
    postOnly: p.postOnly ? PostOnlyParams.MUST_POST_ONLY : PostOnlyParams.NONE,
    bitFlags: p.immediateOrCancel ? OrderParamsBitFlag.ImmediateOrCancel : 0,
  });
}

/** Active perp positions of a User with the SDK's liquidation price for each. */
export function rawPositions(user: User): RawPerpPosition[] {
  return user.getActivePerpPositions().map((p) => ({
    marketIndex: p.marketIndex,
    baseAssetAmount: Number(p.baseAssetAmount.toString()),
    quoteEntryAmount: Number(p.quoteEntryAmount.toString()),
    settledPnl: Number(p.settledPnl.toString()),
    liquidationPrice: Number(user.liquidationPrice(p.marketIndex).toString()),
  }));
}

