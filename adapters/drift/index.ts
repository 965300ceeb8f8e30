import { decodeName } from '@drift-labs/sdk';
import { ConfigError } from '../../src/core/errors.js';
import type { Instrument } from '../../src/core/types.js';
import type { VenueBundle, VenueOpenOptions } from '../../src/core/venue.js';
import { WeightedLimiter } from '../../src/core/weighted-limiter.js';
import { driftRateBudgets, RPC_COST } from './drift-quirks.js';
import { catalogInstruments, loadDriftCatalog } from './drift-catalog.js';
import { driftUrls, type DriftConfig } from './drift-config.js';
import { DriftMarketSource } from './drift-market-source.js';
import { keypairFromEnv } from './drift-keypair.js';
import { DriftSdkClient } from './drift-sdk-client.js';
import { DriftVenue } from './drift-venue.js';
import { DriftClockGuard } from './drift-clock-guard.js';
import { driftDoctorChecks, requireDoctorPass } from './drift-doctor.js';
import { UserOrderIdRing } from './user-order-id-ring.js';

export { DriftVenue } from './drift-venue.js';
export type { DriftLiquidationPrice, DriftMarginState } from './drift-venue.js';
export { driftDoctorChecks } from './drift-doctor.js';

/** 1-minute bars fetched on open for strategy warm-up. */
const WARMUP_BARS = 240;

/**
 * Opens Drift: market data always (DLOB books and oracle marks), the live venue in live mode after
 * the doctor checks pass. Loaded lazily by the composition root (the SDK costs ~0.7 s and 90 MB).
 * @throws ConfigError naming the field or variable that does not match (exit code 2).
 */
export async function openDrift(o: VenueOpenOptions<DriftConfig>): Promise<VenueBundle> {
  const c = o.config;
  const urls = driftUrls(c, o.env);
  const marketIndex = new Map<string, number>();
  for (const s of o.symbols) {
    const idx = c.markets[s];
    if (idx === undefined) throw new ConfigError('drift.markets', `no Drift perp market index for ${s}`);
    marketIndex.set(s, idx);
  }
  if (o.mode === 'live') {
    // Keys first: a missing one is named before any network call.
    keypairFromEnv(c.keypairEnv, o.env);
    requireDoctorPass(await driftDoctorChecks({ config: c, env: o.env, live: true, wall: o.wall }));
  }
  const cat = await loadDriftCatalog(urls.rpc, c.programId, [...marketIndex.values()], c.settlementMarketIndex).catch((e: unknown) => {
    // The RPC URL may carry an API key: the message names the variable, not the URL.
    throw new Error(`drift: reading the market accounts over RPC (DRIFT_RPC_URL or drift.urls.rpc) failed: ${(e as Error).message}`);
  });
  const instruments = catalogInstruments(cat, c.markets, o.symbols, c.settlementMarketIndex, c.settlementSymbol);
  // Live mode: a stale stream cancels our resting orders (bound once the venue exists).
  let onStale: ((symbol: string, reason: string) => void) | null = null;
  const driftName = new Map([...cat.perpMarkets].map(([idx, m]) => [idx, decodeName(m.name).trim()]));
  const source = new DriftMarketSource({
    instruments,
    marketIndex,
    driftName,
    dlobHttp: urls.dlobHttp,
    dlobWs: urls.dlobWs,
    dataApi: urls.data,
    wall: o.wall,
    logger: o.logger,
    staleAfterMs: c.staleAfterMs,
    reconnectDelayMs: c.reconnectDelayMs,
    bookDepth: c.bookDepth,
    historyBars: WARMUP_BARS,
    onStale: (symbol, reason) => onStale?.(symbol, reason),
  });
  await source.open();
  if (o.mode === 'paper') return { source, live: null };
  try {
    return await openLive(o, c, urls.rpc, marketIndex, instruments, source, (f) => (onStale = f));
  } catch (e) {
    // Nothing of a failed open may keep running (a socket or timer would hold the process).
    await source.close().catch(() => undefined);
    throw e;
  }
}

/** The live venue over the SDK; closes its client when opening fails. */
async function openLive(
  o: VenueOpenOptions<DriftConfig>,
  c: DriftConfig,
  rpcUrl: string,
  marketIndex: ReadonlyMap<string, number>,
  instruments: readonly Instrument[],
  source: DriftMarketSource,
  bindStale: (f: (symbol: string, reason: string) => void) => void,
): Promise<VenueBundle> {
  const limiter = new WeightedLimiter(o.wall, driftRateBudgets(c.limits));
  const raw = new DriftSdkClient({
    rpcUrl,
    env: c.env,
    programId: c.programId,
    keypair: keypairFromEnv(c.keypairEnv, o.env),
    subAccountId: c.subAccountId,
    perpMarketIndexes: [...marketIndex.values()],
    settlementMarketIndex: c.settlementMarketIndex,
    accountRefreshMs: c.accountRefreshMs,
    confirmTimeoutMs: c.confirmTimeoutMs,
    priorityFee: c.priorityFee,
    wall: o.wall,
    logger: o.logger,
    limiter,
  });
  await raw.open().catch(async (e: unknown) => {
    await raw.close().catch(() => undefined);
    throw e;
  });
  // The doctor measured the skew at start; the guard measures it again before orders.
  const clock = new DriftClockGuard({
    wall: o.wall,
    logger: o.logger,
    maxSkewMs: c.maxClockSkewMs,
    recheckMs: c.clockCheckMs,
    blockTime: async () => {
      const slot = await limiter.schedule('query', RPC_COST, () => raw.connection.getSlot());
      const t = await limiter.schedule('query', RPC_COST, () => raw.connection.getBlockTime(slot));
      return t === null ? null : t * 1000;
    },
  });
  await clock.measure();
  const venue = new DriftVenue({
    raw,
    ring: new UserOrderIdRing(o.state, c.subAccountId),
    subAccountId: c.subAccountId,
    instruments,
    marketIndex,
    wall: o.wall,
    logger: o.logger,
    limiter,
    accountRefreshMs: c.accountRefreshMs,
    top: (symbol) => source.top(symbol),
    marketSlippageBps: c.marketSlippageBps,
    clock,
  });
  venue.start();
  bindStale((symbol, reason) => venue.onStale(symbol, reason));
  return { source, live: venue };
}
