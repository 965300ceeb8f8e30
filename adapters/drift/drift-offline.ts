import { Connection, Keypair, PublicKey } from '@solana/web3.js';
import {
  DriftClient,
  OneShotUserAccountSubscriber,
  User,
  Wallet,
  getOracleId,
  getUserAccountPublicKeySync,
  type DataAndSlot,
  type OraclePriceData,
  type PerpMarketAccount,
  type SpotMarketAccount,
  type StateAccount,
  type UserAccount,
} from '@drift-labs/sdk';

/** Accounts the SDK's margin math and instruction builders read, supplied by hand (no RPC). */
export interface OfflineAccounts {
  readonly programId: PublicKey;
  readonly state: StateAccount;
  readonly perpMarkets: readonly PerpMarketAccount[];
  readonly spotMarkets: readonly SpotMarketAccount[];
  /** Oracle price per perp market index and per spot market index (already at PRICE_PRECISION). */
  readonly perpOracles: ReadonlyMap<number, OraclePriceData>;
  readonly spotOracles: ReadonlyMap<number, OraclePriceData>;
  readonly user: UserAccount;
  /** The signer; a throwaway keypair when omitted (instructions are built, never sent). */
  readonly authority?: Keypair;
}

export interface OfflineDrift {
  readonly client: DriftClient;
  readonly user: User;
  readonly userAccountPublicKey: PublicKey;
}

/** An RPC endpoint nothing listens on: an accidental network call fails instead of going out. */
const DEAD_RPC = 'http://127.0.0.1:9';

/**
 * A DriftClient over a dummy Connection, never subscribed: its account subscriber is replaced by
 * getters over the supplied accounts, and the User rides a OneShotUserAccountSubscriber seeded
 * with the supplied user account. Margin, health, leverage, liquidation prices and instruction
 * building then run with no RPC at all.
 */
export function offlineDrift(a: OfflineAccounts): OfflineDrift {
  const signer = a.authority ?? Keypair.generate();
  const client = new DriftClient({
    connection: new Connection(DEAD_RPC, 'confirmed'),
    wallet: new Wallet(signer),
    programID: a.programId,
    skipLoadUsers: true,
  });
  const perp = new Map(a.perpMarkets.map((m) => [m.marketIndex, m]));
  const spot = new Map(a.spotMarkets.map((m) => [m.marketIndex, m]));
  const byOracleId = new Map<string, OraclePriceData>();
  for (const m of a.perpMarkets) {
    const o = a.perpOracles.get(m.marketIndex);
    if (o) byOracleId.set(getOracleId(m.amm.oracle, m.amm.oracleSource), o);
  }
  for (const m of a.spotMarkets) {
    const o = a.spotOracles.get(m.marketIndex);
    if (o) byOracleId.set(getOracleId(m.oracle, m.oracleSource), o);
  }
  const slotted = <T>(data: T | undefined): DataAndSlot<T> | undefined => (data === undefined ? undefined : { data, slot: 0 });
  const sub = client.accountSubscriber;
  // Getter-only replacement of the subscriber's reads; subscribe/fetch are never called.
  Object.assign(sub, {
    isSubscribed: true,
    getStateAccountAndSlot: () => ({ data: a.state, slot: 0 }),
    getMarketAccountAndSlot: (i: number) => slotted(perp.get(i)),
    getMarketAccountsAndSlots: () => [...perp.values()].map((d) => ({ data: d, slot: 0 })),
    getSpotMarketAccountAndSlot: (i: number) => slotted(spot.get(i)),
    getSpotMarketAccountsAndSlots: () => [...spot.values()].map((d) => ({ data: d, slot: 0 })),
    getOraclePriceDataAndSlot: (id: string) => slotted(byOracleId.get(id)),
    getOraclePriceDataAndSlotForPerpMarket: (i: number) => slotted(a.perpOracles.get(i)),
    getOraclePriceDataAndSlotForSpotMarket: (i: number) => slotted(a.spotOracles.get(i)),
  });
  const userAccountPublicKey = getUserAccountPublicKeySync(a.programId, signer.publicKey, a.user.subAccountId);
  const user = new User({
    driftClient: client,
    userAccountPublicKey,
    accountSubscription: {
      type: 'custom',
      userAccountSubscriber: new OneShotUserAccountSubscriber(client.program, userAccountPublicKey, { ...a.user, authority: signer.publicKey }, 0),
    },
  });
  user.accountSubscriber.isSubscribed = true;
  user.isSubscribed = true;
  client.users.set(client.getUserMapKey(a.user.subAccountId, signer.publicKey), user);
  client.activeSubAccountId = a.user.subAccountId;
  return { client, user, userAccountPublicKey };
}
