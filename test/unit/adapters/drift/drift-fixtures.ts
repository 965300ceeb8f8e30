/**
 * Hand-made Drift accounts for offline tests, shaped after the SDK's own test mocks
 * (node_modules/@drift-labs/sdk/tests/dlob/helpers.ts, tests/user/helpers.ts): one perp market, USDC
 * as spot market 0, a state account and a user. Factories return fresh objects (the SDK mutates).
 */
import { PublicKey } from '@solana/web3.js';
import {
  AMM_TO_QUOTE_PRECISION_RATIO,
  AssetTier,
  BASE_PRECISION,
  BN,
  ContractTier,
  ContractType,
  MarginMode,
  MarketStatus,
  MarketType,
  OracleSource,
  OrderStatus,
  OrderTriggerCondition,
  OrderType,
  PositionDirection,
  PRICE_PRECISION,
  QUOTE_PRECISION,
  SPOT_MARKET_CUMULATIVE_INTEREST_PRECISION,
  SPOT_MARKET_WEIGHT_PRECISION,
  SpotBalanceType,
  ZERO,
  type AMM,
  type Order,
  type PerpMarketAccount,
  type PerpPosition,
  type SpotMarketAccount,
  type SpotPosition,
  type StateAccount,
  type UserAccount,
} from '@drift-labs/sdk';

export function mockPerpPosition(): PerpPosition { return {
  baseAssetAmount: new BN(0),
  lastCumulativeFundingRate: new BN(0),
  marketIndex: 0,
  quoteAssetAmount: new BN(0),
  quoteBreakEvenAmount: new BN(0),
  quoteEntryAmount: new BN(0),
  openOrders: 0,
  openBids: new BN(0),
  openAsks: new BN(0),
  settledPnl: new BN(0),
  lpShares: new BN(0),
  remainderBaseAssetAmount: 0,
  lastBaseAssetAmountPerLp: new BN(0),
  lastQuoteAssetAmountPerLp: new BN(0),
  perLpBase: 0,
  maxMarginRatio: 1,
}; }

export function mockAMM(oracle: PublicKey): AMM { return {
  perLpBase: 0,
  /* these values create a bid/ask price of 12 */
  baseAssetReserve: new BN(1).mul(BASE_PRECISION),
  quoteAssetReserve: new BN(12)
    .mul(QUOTE_PRECISION)
    .mul(AMM_TO_QUOTE_PRECISION_RATIO),
  sqrtK: new BN(1),
  pegMultiplier: new BN(1),
  maxSlippageRatio: 1_000_000,
  cumulativeFundingRate: new BN(0),
  lastFundingRate: new BN(0),
  lastFundingRateTs: new BN(0),
  lastMarkPriceTwap: new BN(0),
  lastMarkPriceTwap5Min: new BN(0),
  lastMarkPriceTwapTs: new BN(0),
  historicalOracleData: {
    lastOraclePrice: new BN(0),
    lastOracleConf: new BN(0),
    lastOracleDelay: new BN(0),
    lastOraclePriceTwap: new BN(0),
    lastOraclePriceTwap5Min: new BN(0),
    lastOraclePriceTwapTs: new BN(0),
  },
  lastOracleReservePriceSpreadPct: new BN(0),
  lastOracleConfPct: new BN(0),
  oracle,
  oracleSource: OracleSource.PYTH,
  fundingPeriod: new BN(0),
  cumulativeFundingRateLong: new BN(0),
  cumulativeFundingRateShort: new BN(0),
  totalFeeMinusDistributions: new BN(0),
  totalFeeWithdrawn: new BN(0),
  totalFee: new BN(0),
  userLpShares: new BN(0),
  baseAssetAmountWithUnsettledLp: new BN(0),
  orderStepSize: new BN(0),
  orderTickSize: new BN(1),
  last24HAvgFundingRate: new BN(0),
  lastFundingRateShort: new BN(0),
  lastFundingRateLong: new BN(0),
  concentrationCoef: new BN(0),
  lastTradeTs: new BN(0),
  lastOracleNormalisedPrice: new BN(0),
  maxOpenInterest: new BN(0),
  totalLiquidationFee: new BN(0),
  maxFillReserveFraction: 0,
  baseSpread: 0,
  curveUpdateIntensity: 0,
  baseAssetAmountWithAmm: new BN(0),
  baseAssetAmountLong: new BN(0),
  baseAssetAmountShort: new BN(0),
  quoteAssetAmount: new BN(0),
  terminalQuoteAssetReserve: new BN(0),
  feePool: {
    scaledBalance: new BN(0),
    marketIndex: 0,
  },
  totalExchangeFee: new BN(0),
  totalMmFee: new BN(0),
  netRevenueSinceLastFunding: new BN(0),
  lastUpdateSlot: new BN(0),
  lastOracleValid: true,
  lastBidPriceTwap: new BN(0),
  lastAskPriceTwap: new BN(0),
  longSpread: 0,
  shortSpread: 0,
  maxSpread: 0,
  ammJitIntensity: 0,
  maxBaseAssetReserve: new BN(0),
  minBaseAssetReserve: new BN(0),
  totalSocialLoss: new BN(0),
  baseAssetAmountPerLp: new BN(0),
  quoteAssetAmountPerLp: new BN(0),
  targetBaseAssetAmountPerLp: 0,
  quoteBreakEvenAmountLong: new BN(0),
  quoteBreakEvenAmountShort: new BN(0),
  quoteEntryAmountLong: new BN(0),
  quoteEntryAmountShort: new BN(0),
  markStd: new BN(0),
  oracleStd: new BN(0),
  longIntensityVolume: new BN(0),
  shortIntensityVolume: new BN(0),
  volume24H: new BN(0),
  minOrderSize: new BN(0),
  bidBaseAssetReserve: new BN(0),
  bidQuoteAssetReserve: new BN(0),
  askBaseAssetReserve: new BN(0),
  askQuoteAssetReserve: new BN(0),
  netUnsettledFundingPnl: new BN(0),
  quoteAssetAmountWithUnsettledLp: new BN(0),
  referencePriceOffset: 0,
  oracleLowRiskSlotDelayOverride: 0,
  ammSpreadAdjustment: 0,
  ammInventorySpreadAdjustment: 0,
  mmOracleSequenceId: new BN(0),
  mmOraclePrice: new BN(0),
  mmOracleSlot: new BN(0),
  lastFundingOracleTwap: new BN(0),
  oracleSlotDelayOverride: 0,
  referencePriceOffsetDeadbandPct: 0,
}; }

/** A perp market whose recorded oracle history sits at `oraclePrice` (the SDK divides by its TWAPs). */
export function mockPerpMarket(marketIndex: number, oracle: PublicKey, marginRatioInitial: number, marginRatioMaintenance: number, oraclePrice: number): PerpMarketAccount {
  const m = rawPerpMarket(marketIndex, oracle, marginRatioInitial, marginRatioMaintenance);
  const p = new BN(Math.round(oraclePrice * PRICE_PRECISION.toNumber()));
  m.amm.historicalOracleData = { ...m.amm.historicalOracleData, lastOraclePrice: p, lastOraclePriceTwap: p, lastOraclePriceTwap5Min: p };
  m.amm.lastMarkPriceTwap = p;
  m.amm.lastMarkPriceTwap5Min = p;
  m.amm.lastBidPriceTwap = p;
  m.amm.lastAskPriceTwap = p;
  // SOL-PERP's grid on mainnet: step 0.01 base, tick 0.0001 quote, minimum 0.01 base.
  m.amm.orderStepSize = new BN(10_000_000);
  m.amm.orderTickSize = new BN(100);
  m.amm.minOrderSize = new BN(10_000_000);
  return m;
}

function rawPerpMarket(marketIndex: number, oracle: PublicKey, marginRatioInitial: number, marginRatioMaintenance: number): PerpMarketAccount { return {
    status: MarketStatus.INITIALIZED,
    lastFillPrice: new BN(0),
    name: [],
    contractType: ContractType.PERPETUAL,
    contractTier: ContractTier.A,
    expiryTs: new BN(0),
    expiryPrice: new BN(0),
    marketIndex,
    pubkey: PublicKey.default,
    amm: mockAMM(oracle),
    numberOfUsersWithBase: 0,
    numberOfUsers: 0,
    marginRatioInitial: marginRatioInitial,
    marginRatioMaintenance: marginRatioMaintenance,
    highLeverageMarginRatioInitial: 0,
    highLeverageMarginRatioMaintenance: 0,
    nextFillRecordId: new BN(0),
    pnlPool: {
      scaledBalance: new BN(0),
      marketIndex: 0,
    },
    ifLiquidationFee: 0,
    liquidatorFee: 0,
    imfFactor: 0,
    nextFundingRateRecordId: new BN(0),
    nextCurveRecordId: new BN(0),
    unrealizedPnlImfFactor: 0,
    unrealizedPnlMaxImbalance: ZERO,
    unrealizedPnlInitialAssetWeight: 0,
    unrealizedPnlMaintenanceAssetWeight: 0,
    insuranceClaim: {
      revenueWithdrawSinceLastSettle: new BN(0),
      maxRevenueWithdrawPerPeriod: new BN(0),
      lastRevenueWithdrawTs: new BN(0),
      quoteSettledInsurance: new BN(0),
      quoteMaxInsurance: new BN(0),
    },
    quoteSpotMarketIndex: 0,
    feeAdjustment: 0,
    pausedOperations: 0,
    fuelBoostPosition: 0,
    fuelBoostMaker: 0,
    fuelBoostTaker: 0,
    protectedMakerLimitPriceDivisor: 0,
    protectedMakerDynamicDivisor: 0,
    lpPoolId: 0,
    lpFeeTransferScalar: 0,
    lpExchangeFeeExcluscionScalar: 0,
    lpStatus: 0,
    lpPausedOperations: 0,
}; }

export function mockSpotMarket(): SpotMarketAccount { return {
    status: MarketStatus.ACTIVE,
    assetTier: AssetTier.COLLATERAL,
    name: [],
    maxTokenDeposits: new BN(1000000 * QUOTE_PRECISION.toNumber()),
    marketIndex: 0,
    pubkey: PublicKey.default,
    mint: USDC_MINT,
    vault: PublicKey.default,
    minOrderSize: ZERO,
    maxPositionSize: ZERO,
    revenuePool: {
      scaledBalance: new BN(0),
      marketIndex: 0,
    },
    insuranceFund: {
      vault: PublicKey.default,
      totalShares: new BN(0),
      userShares: new BN(0),
      sharesBase: new BN(0),
      unstakingPeriod: new BN(0),
      lastRevenueSettleTs: new BN(0),
      revenueSettlePeriod: new BN(0),
      totalFactor: 0,
      userFactor: 0,
    },
    ifLiquidationFee: 0,
    liquidatorFee: 0,
    decimals: 6,
    optimalUtilization: 0,
    optimalBorrowRate: 0,
    maxBorrowRate: 0,
    cumulativeDepositInterest: SPOT_MARKET_CUMULATIVE_INTEREST_PRECISION,
    cumulativeBorrowInterest: SPOT_MARKET_CUMULATIVE_INTEREST_PRECISION,
    totalSocialLoss: new BN(0),
    totalQuoteSocialLoss: new BN(0),
    depositBalance: new BN(0),
    borrowBalance: new BN(0),
    lastInterestTs: new BN(0),
    lastTwapTs: new BN(0),
    oracle: USDC_ORACLE,
    initialAssetWeight: SPOT_MARKET_WEIGHT_PRECISION.toNumber(),
    maintenanceAssetWeight: SPOT_MARKET_WEIGHT_PRECISION.toNumber(),
    initialLiabilityWeight: SPOT_MARKET_WEIGHT_PRECISION.toNumber(),
    maintenanceLiabilityWeight: SPOT_MARKET_WEIGHT_PRECISION.toNumber(),
    scaleInitialAssetWeightStart: new BN(0),
    imfFactor: 0,
    withdrawGuardThreshold: new BN(0),
    depositTokenTwap: new BN(0),
    borrowTokenTwap: new BN(0),
    utilizationTwap: new BN(0),
    orderStepSize: new BN(0),
    orderTickSize: new BN(0),
    nextFillRecordId: new BN(0),
    nextDepositRecordId: new BN(0),
    ordersEnabled: true,
    spotFeePool: {
      scaledBalance: new BN(0),
      marketIndex: 0,
    },
    totalSpotFee: new BN(0),
    totalSwapFee: new BN(0),
    flashLoanAmount: new BN(0),
    flashLoanInitialTokenAmount: new BN(0),
    oracleSource: OracleSource.PYTH,
    historicalOracleData: {
      lastOraclePrice: PRICE_PRECISION,
      lastOracleConf: new BN(0),
      lastOracleDelay: new BN(0),
      lastOraclePriceTwap: PRICE_PRECISION,
      lastOraclePriceTwap5Min: PRICE_PRECISION,
      lastOraclePriceTwapTs: new BN(0),
    },
    historicalIndexData: {
      lastIndexBidPrice: PRICE_PRECISION,
      lastIndexAskPrice: PRICE_PRECISION,
      lastIndexPriceTwap: PRICE_PRECISION,
      lastIndexPriceTwap5Min: PRICE_PRECISION,
      lastIndexPriceTwapTs: new BN(0),
    },
    pausedOperations: 0,
    ifPausedOperations: 0,
    maxTokenBorrowsFraction: 0,
    minBorrowRate: 0,
    fuelBoostDeposits: 0,
    fuelBoostBorrows: 0,
    fuelBoostTaker: 0,
    fuelBoostMaker: 0,
    fuelBoostInsurance: 0,
    tokenProgramFlag: 0,
    poolId: 0,
}; }

function feeStructure(): StateAccount['perpFeeStructure'] {
  return {
    feeTiers: [
      {
        feeNumerator: 0,
        feeDenominator: 0,
        makerRebateNumerator: 0,
        makerRebateDenominator: 1,
        referrerRewardNumerator: 0,
        referrerRewardDenominator: 0,
        refereeFeeNumerator: 0,
        refereeFeeDenominator: 0,
      },
    ],
    fillerRewardStructure: {
      rewardNumerator: new BN(0),
      rewardDenominator: new BN(0),
      timeBasedRewardLowerBound: new BN(0),
    },
    flatFillerFee: new BN(0),
    referrerRewardEpochUpperBound: new BN(0),
  };
}

export function mockState(): StateAccount { return {
  admin: PublicKey.default,
  featureBitFlags: 0,
  defaultMarketOrderTimeInForce: 0,
  defaultSpotAuctionDuration: 0,
  discountMint: PublicKey.default,
  exchangeStatus: 0,
  liquidationMarginBufferRatio: 0,
  lpCooldownTime: new BN(0),
  minPerpAuctionDuration: 0,
  numberOfMarkets: 0,
  numberOfSpotMarkets: 0,
  numberOfSubAccounts: new BN(0),
  numberOfAuthorities: new BN(0),
  initialPctToLiquidate: 0,
  liquidationDuration: 0,
  oracleGuardRails: {
    priceDivergence: {
      markOraclePercentDivergence: new BN(0),
      oracleTwap5MinPercentDivergence: new BN(0),
    },
    validity: {
      slotsBeforeStaleForAmm: new BN(0),
      slotsBeforeStaleForMargin: new BN(0),
      confidenceIntervalMaxSize: new BN(0),
      tooVolatileRatio: new BN(0),
    },
  },
  perpFeeStructure: feeStructure(),
  spotFeeStructure: feeStructure(),
  settlementDuration: 0,
  signer: PublicKey.default,
  signerNonce: 0,
  srmVault: PublicKey.default,
  whitelistMint: PublicKey.default,
  maxNumberOfSubAccounts: 0,
  maxInitializeUserFee: 0,
}; }

export function mockOrder(): Order { return {
  status: OrderStatus.INIT,
  orderType: OrderType.MARKET,
  marketType: MarketType.PERP,
  slot: ZERO,
  orderId: 0,
  userOrderId: 0,
  marketIndex: 0,
  price: ZERO,
  baseAssetAmount: ZERO,
  baseAssetAmountFilled: ZERO,
  quoteAssetAmount: ZERO,
  quoteAssetAmountFilled: ZERO,
  direction: PositionDirection.LONG,
  reduceOnly: false,
  triggerPrice: ZERO,
  triggerCondition: OrderTriggerCondition.ABOVE,
  existingPositionDirection: PositionDirection.LONG,
  postOnly: false,
  immediateOrCancel: false,
  oraclePriceOffset: 0,
  auctionDuration: 0,
  auctionStartPrice: ZERO,
  auctionEndPrice: ZERO,
  maxTs: ZERO,
  bitFlags: 0,
  postedSlotTail: 0,
}; }

export function mockSpotPosition(): SpotPosition { return {
  marketIndex: 0,
  balanceType: SpotBalanceType.DEPOSIT,
  scaledBalance: ZERO,
  openOrders: 0,
  openBids: ZERO,
  openAsks: ZERO,
  cumulativeDeposits: ZERO,
}; }

export function mockUserAccount(): UserAccount { return {
  authority: PublicKey.default,
  delegate: PublicKey.default,
  name: [1],
  subAccountId: 0,
  spotPositions: Array.from({ length: 8 }, function () {
    return mockSpotPosition();
  }),
  perpPositions: Array.from({ length: 8 }, function () {
    return mockPerpPosition();
  }),
  orders: Array.from({ length: 8 }, function () {
    return mockOrder();
  }),
  status: 0,
  nextLiquidationId: 0,
  nextOrderId: 0,
  maxMarginRatio: 0,
  lastAddPerpLpSharesTs: ZERO,
  settledPerpPnl: ZERO,
  totalDeposits: ZERO,
  totalWithdraws: ZERO,
  totalSocialLoss: ZERO,
  cumulativePerpFunding: ZERO,
  cumulativeSpotFees: ZERO,
  liquidationMarginFreed: ZERO,
  lastActiveSlot: ZERO,
  isMarginTradingEnabled: true,
  idle: false,
  openOrders: 0,
  hasOpenOrder: false,
  openAuctions: 0,
  hasOpenAuction: false,
  lastFuelBonusUpdateTs: 0,
  marginMode: MarginMode.DEFAULT,
  poolId: 0,
}; }

export const USDC_MINT = new PublicKey('EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v');
export const USDC_ORACLE = new PublicKey('En8hkHLkRe9d9DraYmBTrus518BvmVH448YcvmrFM6Ce');
export const SOL_ORACLE = new PublicKey('BAtFj4kQttZRVep3UZS2aZRDixkGYgWsbqTBVDbnSsPF');

/** Oracle data at `price` quote per base. */
export function oracleAt(price: number): { price: BN; slot: BN; confidence: BN; hasSufficientNumberOfDataPoints: boolean } {
  return { price: new BN(Math.round(price * PRICE_PRECISION.toNumber())), slot: new BN(0), confidence: new BN(1), hasSufficientNumberOfDataPoints: true };
}

/** A deposit of `usdc` into spot market 0 (cumulative interest 1: scaled balance = tokens × 1e3). */
export function usdcDeposit(usdc: number): SpotPosition {
  return { ...mockSpotPosition(), scaledBalance: new BN(Math.round(usdc * 1e9)), cumulativeDeposits: new BN(Math.round(usdc * QUOTE_PRECISION.toNumber())) };
}

/** A perp position of `base` (signed) entered at `entry` (quote amount = −base × entry). */
export function perpPosition(marketIndex: number, base: number, entry: number): PerpPosition {
  const quote = new BN(Math.round(-base * entry * QUOTE_PRECISION.toNumber()));
  return { ...mockPerpPosition(), marketIndex, baseAssetAmount: new BN(Math.round(base * BASE_PRECISION.toNumber())), quoteAssetAmount: quote, quoteEntryAmount: quote, quoteBreakEvenAmount: quote };
}

