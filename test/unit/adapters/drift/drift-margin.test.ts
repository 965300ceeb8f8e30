/**
 * Drift's own margin math (the SDK's User over hand-made accounts, no RPC) against our generic
 * model (src/risk/liquidation-*.ts) on the same positions.
 *
 * Where they agree: maintenance margin Σ|q|·oracle·MMR, collateral = deposits + unrealised PnL,
 * leverage = notional ÷ net value, and per-position liquidation prices (others held fixed).
 * Where they differ, and why:
 * - Health: ours is collateral ÷ MM × 100 (100 = liquidation line); Drift's is 100 × (1 − MM ÷
 *   collateral), clamped to [0, 100] (0 = liquidatable). Same line, different scale.
 * - Size-dependent margin: Drift raises the margin ratio of large positions (imfFactor); our model
 *   keeps it flat, so it understates the margin of a big position and overstates its liquidation distance.
 * - Positive unrealised PnL: Drift discounts it in the Initial category (unrealizedPnlInitialAssetWeight),
 *   so its free collateral is lower than a model counting PnL at face value.
 */
import { PublicKey } from '@solana/web3.js';
import { DRIFT_PROGRAM_ID, PRICE_PRECISION, QUOTE_PRECISION, type OraclePriceData, type PerpMarketAccount, type UserAccount } from '@drift-labs/sdk';
import { describe, expect, it } from 'vitest';
import { offlineDrift } from '../../../../adapters/drift/drift-offline.js';
import { rawPositions } from '../../../../adapters/drift/drift-sdk-client.js';
import { unrealizedPnl } from '../../../../src/core/position-math.js';
import { healthRatio } from '../../../../src/risk/liquidation-health-ratio.js';
import { maintenanceMargin, type MarginPosition } from '../../../../src/risk/liquidation-margin.js';
import { liquidationPrices } from '../../../../src/risk/liquidation-prices.js';
import * as fx from './drift-fixtures.js';

const ETH_ORACLE = new PublicKey('JBu1AL4obBcCMqKBBxhpWCNUt136ijcuMZLFvTP7iWdB');
const q = (b: { toNumber(): number }): number => b.toNumber() / QUOTE_PRECISION.toNumber();

interface Leg {
  readonly index: number;
  readonly base: number;
  readonly entry: number;
  readonly oracle: number;
  readonly imr: number;
  readonly mmr: number;
  readonly imfFactor?: number;
}

function account(usdc: number, legs: readonly Leg[], tweak: (m: PerpMarketAccount) => void = () => undefined) {
  const user: UserAccount = fx.mockUserAccount();
  user.spotPositions[0] = fx.usdcDeposit(usdc);
  const perpMarkets: PerpMarketAccount[] = [];
  const perpOracles = new Map<number, OraclePriceData>();
  legs.forEach((l, k) => {
    user.perpPositions[k] = fx.perpPosition(l.index, l.base, l.entry);
    const m = fx.mockPerpMarket(l.index, l.index === 0 ? fx.SOL_ORACLE : ETH_ORACLE, l.imr * 1e4, l.mmr * 1e4, l.oracle);
    m.unrealizedPnlInitialAssetWeight = 10_000;
    m.unrealizedPnlMaintenanceAssetWeight = 10_000;
    m.imfFactor = l.imfFactor ?? 0;
    tweak(m);
    perpMarkets.push(m);
    perpOracles.set(l.index, fx.oracleAt(l.oracle));
  });
  return offlineDrift({
    programId: new PublicKey(DRIFT_PROGRAM_ID),
    state: fx.mockState(),
    perpMarkets,
    spotMarkets: [fx.mockSpotMarket()],
    perpOracles,
    spotOracles: new Map([[0, fx.oracleAt(1)]]),
    user,
  });
}

function ours(usdc: number, legs: readonly Leg[]) {
  const positions: MarginPosition[] = legs.map((l) => ({ symbol: `m${l.index}`, size: l.base, mark: l.oracle, maintenanceMarginRatio: l.mmr }));
  const equity = usdc + legs.reduce((s, l) => s + unrealizedPnl({ symbol: `m${l.index}`, size: l.base, entryPrice: l.entry, realizedPnl: 0 }, l.oracle), 0);
  const mm = maintenanceMargin(positions);
  const im = legs.reduce((s, l) => s + Math.abs(l.base) * l.oracle * l.imr, 0);
  const notional = legs.reduce((s, l) => s + Math.abs(l.base) * l.oracle, 0);
  return { equity, mm, im, notional, liq: liquidationPrices({ equity, positions }), health: healthRatio({ collateral: equity, maintenanceMargin: mm }) };
}

describe('Drift margin from the SDK over hand-made accounts vs our generic model', () => {
  const cases: { name: string; usdc: number; legs: Leg[] }[] = [
    { name: 'a long at a loss', usdc: 1000, legs: [{ index: 0, base: 50, entry: 100, oracle: 90, imr: 0.1, mmr: 0.05 }] },
    { name: 'a short at a gain', usdc: 800, legs: [{ index: 0, base: -40, entry: 100, oracle: 95, imr: 0.1, mmr: 0.05 }] },
    {
      name: 'a delta-neutral pair',
      usdc: 2000,
      legs: [
        { index: 0, base: 100, entry: 100, oracle: 104, imr: 0.1, mmr: 0.05 },
        { index: 2, base: -4, entry: 2500, oracle: 2550, imr: 0.05, mmr: 0.03 },
      ],
    },
  ];

  for (const c of cases) {
    it(`agrees on collateral, margin, leverage and liquidation prices: ${c.name}`, () => {
      const { user } = account(c.usdc, c.legs);
      const o = ours(c.usdc, c.legs);
      expect(q(user.getTotalCollateral('Maintenance'))).toBeCloseTo(o.equity, 4);
      expect(q(user.getNetUsdValue())).toBeCloseTo(o.equity, 4);
      expect(q(user.getMaintenanceMarginRequirement())).toBeCloseTo(o.mm, 4);
      expect(q(user.getInitialMarginRequirement())).toBeCloseTo(o.im, 4);
      expect(q(user.getFreeCollateral())).toBeCloseTo(Math.max(0, o.equity - o.im), 4);
      expect(user.getLeverage().toNumber() / 1e4).toBeCloseTo(o.notional / o.equity, 3);
      // Health: same liquidation line on two scales.
      expect(user.getHealth()).toBe(Math.round(100 * (1 - 100 / o.health!)));
      const sdkLiq = rawPositions(user);
      for (const l of c.legs) {
        const mine = o.liq.find((x) => x.symbol === `m${l.index}`)!;
        const theirs = sdkLiq.find((x) => x.marketIndex === l.index)!.liquidationPrice / PRICE_PRECISION.toNumber();
        expect(mine.status).toBe('at_risk');
        expect(theirs).toBeGreaterThan(0);
        // The SDK works in integer precision (1e-6 quote): a relative tolerance of 1e-4.
        expect(Math.abs(theirs - mine.price!) / mine.price!).toBeLessThan(1e-4);
      }
    });
  }

  it('a fully funded long has no liquidation price on either side (-1 from the SDK, none from ours)', () => {
    const legs: Leg[] = [{ index: 0, base: 5, entry: 100, oracle: 100, imr: 0.1, mmr: 0.05 }];
    const { user } = account(1000, legs);
    expect(user.liquidationPrice(0).toNumber()).toBe(-1);
    expect(ours(1000, legs).liq[0]!.status).toBe('none');
  });

  it('differs on size-dependent margin: with imfFactor Drift asks more margin than our flat ratio', () => {
    const legs: Leg[] = [{ index: 0, base: 50_000, entry: 100, oracle: 100, imr: 0.1, mmr: 0.05, imfFactor: 1000 }];
    const { user } = account(2_000_000, legs);
    const o = ours(2_000_000, legs);
    const sdkMm = q(user.getMaintenanceMarginRequirement());
    expect(sdkMm).toBeGreaterThan(o.mm * 1.05);
    const sdkLiq = user.liquidationPrice(0).toNumber() / 1e6;
    // More margin needed ⇒ liquidation comes sooner for the long (a higher price) than ours predicts.
    expect(sdkLiq).toBeGreaterThan(o.liq[0]!.price!);
  });

  it('differs on positive PnL: a discounted initial asset weight lowers free collateral', () => {
    const legs: Leg[] = [{ index: 0, base: 10, entry: 100, oracle: 150, imr: 0.1, mmr: 0.05 }];
    const full = account(100, legs).user;
    const discounted = account(100, legs, (m) => (m.unrealizedPnlInitialAssetWeight = 5_000)).user;
    const o = ours(100, legs);
    expect(q(full.getFreeCollateral())).toBeCloseTo(o.equity - o.im, 4);
    // Half of the 500 of unrealised PnL counts in the Initial category.
    expect(q(discounted.getFreeCollateral())).toBeCloseTo(o.equity - 250 - o.im, 4);
    // Maintenance (what liquidation uses) still counts it in full.
    expect(q(discounted.getTotalCollateral('Maintenance'))).toBeCloseTo(o.equity, 4);
  });
});

