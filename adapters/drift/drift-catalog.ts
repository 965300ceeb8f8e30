import { Connection, Keypair, PublicKey } from '@solana/web3.js';
import {
  DriftClient,
  ExchangeStatus,
  Wallet,
  decodeName,
  getDriftStateAccountPublicKey,
  getPerpMarketPublicKeySync,
  getSpotMarketPublicKeySync,
  type PerpMarketAccount,
  type SpotMarketAccount,
  type StateAccount,
} from '@drift-labs/sdk';
import { ConfigError } from '../../src/core/errors.js';
import type { Instrument } from '../../src/core/types.js';
import { instrumentFromPerpMarket, type PerpMarketSpec } from './drift-instruments.js';

/** The on-chain facts a run starts from: the state, the settlement spot market, the perp markets. */
export interface DriftCatalog {
  readonly state: StateAccount;
  readonly settlement: SpotMarketAccount | null;
  readonly perpMarkets: ReadonlyMap<number, PerpMarketAccount>;
}

/** The program's pause switches (State.exchangeStatus bit flags, the SDK's `ExchangeStatus`), in words. */
export interface ProgramStatus {
  /** The raw u8: 0 = active, 255 = every instruction disabled. */
  readonly exchangeStatus: number;
  /** Names of the paused operations; empty when active. */
  readonly paused: readonly string[];
}

const PAUSE_FLAGS: readonly [number, string][] = [
  [ExchangeStatus.DEPOSIT_PAUSED, 'deposits'],
  [ExchangeStatus.WITHDRAW_PAUSED, 'withdrawals'],
  [ExchangeStatus.AMM_PAUSED, 'AMM'],
  [ExchangeStatus.FILL_PAUSED, 'fills'],
  [ExchangeStatus.LIQ_PAUSED, 'liquidations'],
  [ExchangeStatus.FUNDING_PAUSED, 'funding'],
  [ExchangeStatus.SETTLE_PNL_PAUSED, 'PnL settlement'],
  [ExchangeStatus.AMM_IMMEDIATE_FILL_PAUSED, 'AMM immediate fills'],
];

/** Decodes the state's exchange status. Pure. */
export function programStatus(state: StateAccount): ProgramStatus {
  const exchangeStatus = state.exchangeStatus;
  return { exchangeStatus, paused: PAUSE_FLAGS.filter(([bit]) => (exchangeStatus & bit) === bit).map(([, name]) => name) };
}

/** The market spec an Instrument is built from, out of a perp market account and the state. */
export function perpMarketSpec(m: PerpMarketAccount, state: StateAccount): PerpMarketSpec {
  const tier = state.perpFeeStructure.feeTiers[0];
  const variant = Object.keys(m.status as object)[0] ?? 'unknown';
  return {
    marketIndex: m.marketIndex,
    name: decodeName(m.name),
    orderTickSize: Number(m.amm.orderTickSize.toString()),
    orderStepSize: Number(m.amm.orderStepSize.toString()),
    minOrderSize: Number(m.amm.minOrderSize.toString()),
    marginRatioInitial: m.marginRatioInitial,
    marginRatioMaintenance: m.marginRatioMaintenance,
    quoteSpotMarketIndex: m.quoteSpotMarketIndex,
    status: variant,
    fee: {
      feeNumerator: tier?.feeNumerator ?? 0,
      feeDenominator: tier?.feeDenominator ?? 0,
      makerRebateNumerator: tier?.makerRebateNumerator ?? 0,
      makerRebateDenominator: tier?.makerRebateDenominator ?? 0,
    },
    feeAdjustment: m.feeAdjustment,
  };
}

/**
 * Reads the state, the settlement spot market and the configured perp markets with a client that
 * never subscribes (a throwaway wallet: reads need no signer). Three RPC calls.
 */
export async function loadDriftCatalog(rpcUrl: string, programId: string, perpIndexes: readonly number[], settlementIndex: number): Promise<DriftCatalog> {
  const connection = new Connection(rpcUrl, 'confirmed');
  const pid = new PublicKey(programId);
  const client = new DriftClient({ connection, wallet: new Wallet(Keypair.generate()), programID: pid, skipLoadUsers: true });
  const acc = client.program.account;
  const state = (await acc['state']!.fetch(await getDriftStateAccountPublicKey(pid))) as StateAccount;
  const settlement = (await acc['spotMarket']!.fetchNullable(getSpotMarketPublicKeySync(pid, settlementIndex))) as SpotMarketAccount | null;
  const perps = (await acc['perpMarket']!.fetchMultiple(perpIndexes.map((i) => getPerpMarketPublicKeySync(pid, i)))) as (PerpMarketAccount | null)[];
  const perpMarkets = new Map<number, PerpMarketAccount>();
  perps.forEach((m, k) => {
    if (m) perpMarkets.set(perpIndexes[k]!, m);
  });
  return { state, settlement, perpMarkets };
}

/**
 * Our instruments from the catalog, checked: every configured market exists, is tradable, and
 * settles in the configured spot market.
 * @throws ConfigError naming the field that does not match the chain.
 */
export function catalogInstruments(cat: DriftCatalog, markets: Readonly<Record<string, number>>, symbols: readonly string[], settlementIndex: number, settlementSymbol: string): Instrument[] {
  const out: Instrument[] = [];
  for (const symbol of symbols) {
    const idx = markets[symbol];
    if (idx === undefined) throw new ConfigError('drift.markets', `no Drift perp market index configured for ${symbol}`);
    const m = cat.perpMarkets.get(idx);
    if (!m) throw new ConfigError('drift.markets', `perp market ${idx} (${symbol}) does not exist under the configured program`);
    const spec = perpMarketSpec(m, cat.state);
    if (spec.status === 'settlement' || spec.status === 'delisted') throw new ConfigError('drift.markets', `${spec.name} is ${spec.status}`);
    out.push(instrumentFromPerpMarket(symbol, spec, settlementIndex, settlementSymbol));
  }
  return out;
}
