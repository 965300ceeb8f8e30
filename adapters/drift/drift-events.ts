import type { PublicKey } from '@solana/web3.js';
import { isVariant, type BN, type OrderActionRecord, type OrderRecord, type PositionDirection } from '@drift-labs/sdk';
import type { RawDirection, RawOrderEvent } from './drift-raw-client.js';

/** One event as the SDK's log parser (Anchor's event coder) yields it. */
export interface ParsedDriftEvent {
  readonly name: string;
  readonly data: unknown;
}

const num = (b: BN | null | undefined): number => (b ? Number(b.toString()) : 0);
const dir = (d: PositionDirection | null): RawDirection => (d && isVariant(d, 'short') ? 'short' : 'long');

/**
 * Our user's order events out of a transaction's parsed logs: OrderRecord (place, carries the
 * userOrderId → orderId link) and OrderActionRecord (fill, cancel, expire), on the side (taker or
 * maker) where `user` stands. Other users' records and perp-unrelated events are skipped.
 */
export function orderEventsFor(user: PublicKey, events: readonly ParsedDriftEvent[], txSig: string): RawOrderEvent[] {
  const out: RawOrderEvent[] = [];
  for (const e of events) {
    if (e.name === 'OrderRecord') {
      const r = e.data as OrderRecord;
      if (!r.user.equals(user) || !isVariant(r.order.marketType, 'perp')) continue;
      out.push({ type: 'place', orderId: r.order.orderId, userOrderId: r.order.userOrderId, marketIndex: r.order.marketIndex, ts: num(r.ts) * 1000, txSig });
      continue;
    }
    if (e.name !== 'OrderActionRecord') continue;
    const a = e.data as OrderActionRecord;
    if (!isVariant(a.marketType, 'perp')) continue;
    const asTaker = a.taker !== null && a.taker.equals(user) && a.takerOrderId !== null;
    const asMaker = a.maker !== null && a.maker.equals(user) && a.makerOrderId !== null;
    const ts = num(a.ts) * 1000;
    for (const side of [asTaker ? 'taker' : null, asMaker ? 'maker' : null] as const) {
      if (side === null) continue;
      const orderId = (side === 'taker' ? a.takerOrderId : a.makerOrderId)!;
      if (isVariant(a.action, 'fill')) {
        out.push({
          type: 'fill',
          fillRecordId: num(a.fillRecordId),
          orderId,
          marketIndex: a.marketIndex,
          direction: dir(side === 'taker' ? a.takerOrderDirection : a.makerOrderDirection),
          baseAssetAmountFilled: num(a.baseAssetAmountFilled),
          quoteAssetAmountFilled: num(a.quoteAssetAmountFilled),
          fee: num(side === 'taker' ? a.takerFee : a.makerFee),
          liquidity: side,
          ts,
          txSig,
        });
      } else if (isVariant(a.action, 'cancel') || isVariant(a.action, 'expire')) {
        const explanation = Object.keys(a.actionExplanation as object)[0] ?? 'none';
        out.push({ type: isVariant(a.action, 'cancel') ? 'cancel' : 'expire', orderId, marketIndex: a.marketIndex, ts, explanation, txSig });
      }
    }
  }
  return out;
}
