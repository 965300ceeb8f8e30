/**
 * Instruction-level checks: the instructions our parameters build (offline DriftClient, no RPC),
 * decoded back with the program's own coder, carry the flags, prices and sizes we meant.
 */
import { PublicKey } from '@solana/web3.js';
import { DRIFT_PROGRAM_ID, OrderParamsBitFlag } from '@drift-labs/sdk';
import { describe, expect, it } from 'vitest';
import { offlineDrift } from '../../../../adapters/drift/drift-offline.js';
import { driftBase, driftPrice } from '../../../../adapters/drift/drift-precision.js';
import { orderParams } from '../../../../adapters/drift/drift-sdk-client.js';
import type { RawOrderParams } from '../../../../adapters/drift/drift-raw-client.js';
import type { Instrument } from '../../../../src/core/types.js';
import * as fx from './drift-fixtures.js';

const SOL = { tickSize: 0.0001, lotSize: 0.01 } as Instrument;

function client() {
  const user = fx.mockUserAccount();
  user.spotPositions[0] = fx.usdcDeposit(1000);
  const o = fx.mockOrder();
  user.orders[0] = { ...o, status: { open: {} }, orderType: { limit: {} }, orderId: 41, userOrderId: 9, marketIndex: 0 };
  return offlineDrift({
    programId: new PublicKey(DRIFT_PROGRAM_ID),
    state: fx.mockState(),
    perpMarkets: [fx.mockPerpMarket(0, fx.SOL_ORACLE, 1000, 500, 150)],
    spotMarkets: [fx.mockSpotMarket()],
    perpOracles: new Map([[0, fx.oracleAt(150)]]),
    spotOracles: new Map([[0, fx.oracleAt(1)]]),
    user,
  });
}

interface DecodedParams {
  orderType: Record<string, unknown>;
  direction: Record<string, unknown>;
  postOnly: Record<string, unknown>;
  userOrderId: number;
  baseAssetAmount: { toString(): string };
  price: { toString(): string };
  marketIndex: number;
  reduceOnly: boolean;
  bitFlags: number;
}

/** The program's Borsh instruction coder (the interface type omits `decode`, the instance has it). */
function decoder(d: ReturnType<typeof client>): { decode(data: Buffer): { name: string; data: unknown } | null } {
  return d.client.program.coder.instruction as unknown as { decode(data: Buffer): { name: string; data: unknown } | null };
}

async function decodePlace(p: RawOrderParams): Promise<{ name: string; params: DecodedParams }> {
  const d = client();
  const ix = await d.client.getPlacePerpOrderIx(orderParams(p), 0);
  expect(ix.programId.toBase58()).toBe(DRIFT_PROGRAM_ID);
  const dec = decoder(d).decode(ix.data) as { name: string; data: { params: DecodedParams } } | null;
  expect(dec).not.toBeNull();
  return { name: dec!.name, params: dec!.data.params };
}

const base: RawOrderParams = { marketIndex: 0, direction: 'long', price: 0, baseAssetAmount: 0, userOrderId: 12, reduceOnly: false, postOnly: false, immediateOrCancel: false };

describe('Drift instructions built from our order parameters', () => {
  it('post-only bid: MUST_POST_ONLY, a LIMIT, the price rounded down to the tick at 1e6, the size to the step at 1e9', async () => {
    const p = { ...base, price: driftPrice(150.12349, 'buy', SOL), baseAssetAmount: driftBase(1.239, SOL), postOnly: true };
    const { name, params } = await decodePlace(p);
    expect(name).toBe('placePerpOrder');
    expect(Object.keys(params.orderType)).toEqual(['limit']);
    expect(Object.keys(params.direction)).toEqual(['long']);
    expect(Object.keys(params.postOnly)).toEqual(['mustPostOnly']);
    expect(params.price.toString()).toBe('150123400');
    expect(params.baseAssetAmount.toString()).toBe('1230000000');
    expect(params.bitFlags & OrderParamsBitFlag.ImmediateOrCancel).toBe(0);
    expect(params.userOrderId).toBe(12);
    expect(params.reduceOnly).toBe(false);
  });

  it('IOC reduce-only ask: the ImmediateOrCancel bit, reduceOnly, no post-only, the price rounded up', async () => {
    const p = { ...base, direction: 'short' as const, price: driftPrice(150.12341, 'sell', SOL), baseAssetAmount: driftBase(0.5, SOL), reduceOnly: true, immediateOrCancel: true, userOrderId: 255 };
    const { params } = await decodePlace(p);
    expect(Object.keys(params.direction)).toEqual(['short']);
    expect(Object.keys(params.postOnly)).toEqual(['none']);
    expect(params.bitFlags & OrderParamsBitFlag.ImmediateOrCancel).toBe(OrderParamsBitFlag.ImmediateOrCancel);
    expect(params.reduceOnly).toBe(true);
    expect(params.price.toString()).toBe('150123500');
    expect(params.baseAssetAmount.toString()).toBe('500000000');
    expect(params.userOrderId).toBe(255);
  });

  it('cancel by user order id carries that id; cancel-all of a market carries the market', async () => {
    const d = client();
    const coder = decoder(d);
    const byUid = coder.decode((await d.client.getCancelOrderByUserIdIx(9, 0)).data) as { name: string; data: { userOrderId: number } };
    expect(byUid.name).toBe('cancelOrderByUserId');
    expect(byUid.data.userOrderId).toBe(9);
    const all = coder.decode((await d.client.getCancelOrdersIx({ perp: {} }, 0, null, 0)).data) as { name: string; data: { marketIndex: number | null; marketType: Record<string, unknown> | null } };
    expect(all.name).toBe('cancelOrders');
    expect(all.data.marketIndex).toBe(0);
    expect(Object.keys(all.data.marketType ?? {})).toEqual(['perp']);
  });
});
