import { Keypair } from '@solana/web3.js';
import { BN, MarketType, OrderAction, OrderActionExplanation, PositionDirection, ZERO, type OrderActionRecord } from '@drift-labs/sdk';
import { describe, expect, it } from 'vitest';
import { perpMarketSpec } from '../../../../adapters/drift/drift-catalog.js';
import { orderEventsFor } from '../../../../adapters/drift/drift-events.js';
import { instrumentFromPerpMarket } from '../../../../adapters/drift/drift-instruments.js';
import { ConfigError } from '../../../../src/core/errors.js';
import * as fx from './drift-fixtures.js';

describe('instruments from perp market accounts', () => {
  it('tick, step, minimum, max leverage, margin ratios and tier-0 fees', () => {
    const m = fx.mockPerpMarket(0, fx.SOL_ORACLE, 1000, 500, 150);
    m.name = [...Buffer.from('SOL-PERP'.padEnd(32, ' '))];
    const state = fx.mockState();
    state.perpFeeStructure.feeTiers[0] = { ...state.perpFeeStructure.feeTiers[0]!, feeNumerator: 35, feeDenominator: 100_000, makerRebateNumerator: 2, makerRebateDenominator: 100_000 };
    const inst = instrumentFromPerpMarket('SOL-PERP', perpMarketSpec(m, state), 0, 'USDC');
    expect(inst).toMatchObject({ venue: 'drift', symbol: 'SOL-PERP', baseAsset: 'SOL', quoteAsset: 'USDC', tickSize: 0.0001, lotSize: 0.01, minSize: 0.01, maxLeverage: 10, initialMarginRatio: 0.1, maintenanceMarginRatio: 0.05 });
    expect(inst.takerFeeRate).toBeCloseTo(0.00035, 12);
    expect(inst.makerFeeRate).toBeCloseTo(-0.00002, 12);
    // A 50% fee discount on the market halves both.
    m.feeAdjustment = -50;
    expect(instrumentFromPerpMarket('SOL-PERP', perpMarketSpec(m, state), 0, 'USDC').takerFeeRate).toBeCloseTo(0.000175, 12);
  });

  it('refuses a market settling in another spot market than configured', () => {
    const m = fx.mockPerpMarket(0, fx.SOL_ORACLE, 1000, 500, 150);
    expect(() => instrumentFromPerpMarket('SOL-PERP', perpMarketSpec(m, fx.mockState()), 1, 'USDT')).toThrow(ConfigError);
  });
});

describe('order events for our user out of parsed program logs', () => {
  const me = Keypair.generate().publicKey;
  const other = Keypair.generate().publicKey;
  const action = (over: Partial<OrderActionRecord>): OrderActionRecord => ({
    ts: new BN(1_700_000_000),
    action: OrderAction.FILL,
    actionExplanation: OrderActionExplanation.ORDER_FILLED_WITH_MATCH,
    marketIndex: 0,
    marketType: MarketType.PERP,
    filler: other,
    fillerReward: ZERO,
    fillRecordId: new BN(77),
    baseAssetAmountFilled: new BN(2e9),
    quoteAssetAmountFilled: new BN(300e6),
    takerFee: new BN(105_000),
    makerFee: new BN(-60_000),
    referrerReward: 0,
    quoteAssetAmountSurplus: null,
    spotFulfillmentMethodFee: null,
    taker: other,
    takerOrderId: 5,
    takerOrderDirection: PositionDirection.SHORT,
    takerOrderBaseAssetAmount: null,
    takerOrderCumulativeBaseAssetAmountFilled: null,
    takerOrderCumulativeQuoteAssetAmountFilled: null,
    maker: me,
    makerOrderId: 41,
    makerOrderDirection: PositionDirection.LONG,
    makerOrderBaseAssetAmount: null,
    makerOrderCumulativeBaseAssetAmountFilled: null,
    makerOrderCumulativeQuoteAssetAmountFilled: null,
    oraclePrice: new BN(150e6),
    bitFlags: 0,
    takerExistingQuoteEntryAmount: null,
    takerExistingBaseAssetAmount: null,
    makerExistingQuoteEntryAmount: null,
    makerExistingBaseAssetAmount: null,
    ...over,
  });

  it('a fill on our maker side: our order id, direction, maker fee (a rebate), ms timestamps', () => {
    const ev = orderEventsFor(me, [{ name: 'OrderActionRecord', data: action({}) }], 'sigA');
    expect(ev).toEqual([
      { type: 'fill', fillRecordId: 77, orderId: 41, marketIndex: 0, direction: 'long', baseAssetAmountFilled: 2e9, quoteAssetAmountFilled: 300e6, fee: -60_000, liquidity: 'maker', ts: 1_700_000_000_000, txSig: 'sigA' },
    ]);
  });

  it('place records link userOrderId to orderId; cancels; other users skipped', () => {
    const order = { ...fx.mockOrder(), orderId: 42, userOrderId: 17, marketIndex: 2 };
    const ev = orderEventsFor(
      me,
      [
        { name: 'OrderRecord', data: { ts: new BN(1_700_000_001), user: me, order } },
        { name: 'OrderRecord', data: { ts: new BN(1_700_000_001), user: other, order } },
        { name: 'OrderActionRecord', data: action({ action: OrderAction.CANCEL, taker: me, takerOrderId: 42, maker: null, makerOrderId: null, marketIndex: 2 }) },
        { name: 'OrderActionRecord', data: action({ maker: other }) },
        { name: 'DepositRecord', data: {} },
      ],
      'sigB',
    );
    expect(ev.map((e) => e.type)).toEqual(['place', 'cancel']);
    expect(ev[0]).toMatchObject({ orderId: 42, userOrderId: 17, marketIndex: 2, ts: 1_700_000_001_000 });
    expect(ev[1]).toMatchObject({ orderId: 42, marketIndex: 2 });
  });
});
