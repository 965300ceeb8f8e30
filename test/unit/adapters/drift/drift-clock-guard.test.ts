import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimClock } from '../../../../src/core/clock.js';
import { ErrorCodes, isDnbotError } from '../../../../src/core/errors.js';
import { silentLogger } from '../../../../src/core/logger.js';
import type { Instrument, OrderRequest } from '../../../../src/core/types.js';
import { WeightedLimiter } from '../../../../src/core/weighted-limiter.js';
import { driftRateBudgets } from '../../../../adapters/drift/drift-quirks.js';
import { Store } from '../../../../src/store/store.js';
import { DriftVenue } from '../../../../adapters/drift/drift-venue.js';
import { DriftClockGuard } from '../../../../adapters/drift/drift-clock-guard.js';
import { UserOrderIdRing } from '../../../../adapters/drift/user-order-id-ring.js';
import { driftConfigSchema } from '../../../../adapters/drift/drift-config.js';
import { FakeDriftRaw } from './fake-drift-raw.js';

const SOL: Instrument = {
  venue: 'drift', symbol: 'SOL-PERP', baseAsset: 'SOL', quoteAsset: 'USDC', tickSize: 0.0001, lotSize: 0.01, minSize: 0.01, minNotional: 0, maxLeverage: 10,
  makerFeeRate: -0.0002, takerFeeRate: 0.00035, initialMarginRatio: 0.1, maintenanceMarginRatio: 0.05, fundingIntervalMs: 3_600_000,
};
const T0 = 1_700_000_000_000;
const MAX_SKEW = 20_000;
const RECHECK = 60_000;

const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

/** A venue on an injected clock whose chain block time is `chainOffsetMs` from it (the stubbed source counts its queries). */
function open() {
  const store = Store.open(join(mkdtempSync(join(tmpdir(), 'dnbot-drift-clock-')), 's.db'));
  stores.push(store);
  const wall = new SimClock(T0);
  const raw = new FakeDriftRaw();
  const chain = { offsetMs: 0, queries: 0 };
  const clock = new DriftClockGuard({
    wall, logger: silentLogger, maxSkewMs: MAX_SKEW, recheckMs: RECHECK,
    blockTime: async () => {
      chain.queries++;
      return wall.now() + chain.offsetMs;
    },
  });
  const venue = new DriftVenue({
    raw, ring: new UserOrderIdRing(store.venueState.scoped('drift', () => wall.now()), 0), subAccountId: 0, instruments: [SOL],
    marketIndex: new Map([['SOL-PERP', 0]]), wall, logger: silentLogger, limiter: new WeightedLimiter(wall, driftRateBudgets({ rpcPerSecond: 1e6, txPerSecond: 1e6 })),
    accountRefreshMs: 2_000, top: () => ({ bid: 149.5, ask: 150.5 }), marketSlippageBps: 100, clock,
  });
  venue.start();
  return { venue, raw, wall, chain, clock };
}

const req = (id: string): OrderRequest => ({ clientOrderId: id, symbol: 'SOL-PERP', side: 'buy', type: 'limit', tif: 'POST_ONLY', price: 150, size: 1, reduceOnly: false });

describe('Drift live: the local clock against the chain before each order', () => {
  it('within the limit the order is sent', async () => {
    const { venue, raw, chain } = open();
    chain.offsetMs = -(MAX_SKEW - 1); // the local clock 19 999 ms ahead of the block time
    await venue.placeOrder(req('ok-1'));
    expect(raw.sent).toHaveLength(1);
    expect(chain.queries).toBe(1);
  });

  it.each([
    ['ahead of', -45_000, /local clock is 45000 ms ahead of the chain's block time \(limit 20000 ms, drift\.maxClockSkewMs\): a backfill after a disconnect would start after the fills/],
    ['behind', 30_000, /local clock is 30000 ms behind the chain's block time \(limit 20000 ms, drift\.maxClockSkewMs\)/],
  ] as const)('a local clock %s the chain past the limit: the order is refused unsent, naming the skew in ms', async (_dir, offset, message) => {
    const { venue, raw, chain } = open();
    chain.offsetMs = offset;
    const err = await venue.placeOrder(req('sk-1')).catch((e: unknown) => e);
    expect(isDnbotError(err) && err.code).toBe(ErrorCodes.VENUE_REJECTED);
    expect((err as Error).message).toMatch(message);
    expect((err as { details: Record<string, unknown> }).details).toMatchObject({ clientOrderId: 'sk-1', clockSkewMs: -offset });
    expect(raw.sent).toHaveLength(0); // never sent
    expect(await venue.lookupOrder('sk-1', 'SOL-PERP')).toBeNull(); // no user order id taken for it
  });

  it('the skew is measured again only once clockCheckMs has passed on the injected clock', async () => {
    const { venue, raw, wall, chain } = open();
    await venue.placeOrder(req('a'));
    expect(chain.queries).toBe(1);
    chain.offsetMs = -25_000; // the local clock drifts ahead
    wall.advanceTo(T0 + RECHECK - 1);
    await venue.placeOrder(req('b')); // the last measurement still stands: sent, not re-measured
    expect(chain.queries).toBe(1);
    expect(raw.sent).toHaveLength(2);
    wall.advanceTo(T0 + RECHECK);
    await expect(venue.placeOrder(req('c'))).rejects.toThrow(/25000 ms ahead of the chain's block time/);
    expect(chain.queries).toBe(2);
    await expect(venue.placeOrder(req('d'))).rejects.toThrow(/25000 ms ahead/); // refused on the same measurement
    expect(chain.queries).toBe(2);
    chain.offsetMs = 0; // NTP fixed it
    wall.advanceTo(T0 + 2 * RECHECK);
    await venue.placeOrder(req('e'));
    expect(chain.queries).toBe(3);
    expect(raw.sent).toHaveLength(3);
  });

  it('cancels are never refused and never wait for a measurement', async () => {
    const { venue, raw, wall, chain } = open();
    await venue.placeOrder(req('c1'));
    chain.offsetMs = -90_000;
    wall.advanceTo(T0 + RECHECK);
    await expect(venue.placeOrder(req('c2'))).rejects.toThrow(/90000 ms ahead/);
    const queries = chain.queries;
    wall.advanceTo(T0 + 3 * RECHECK);
    await venue.cancelOrder('c1', 'SOL-PERP');
    expect(raw.cancels).toHaveLength(1);
    expect(chain.queries).toBe(queries);
  });

  it('a failed block-time query keeps the last measurement and sends (logged, never thrown)', async () => {
    const wall = new SimClock(T0);
    let fail = false;
    const guard = new DriftClockGuard({
      wall, logger: silentLogger, maxSkewMs: MAX_SKEW, recheckMs: RECHECK,
      blockTime: async () => {
        if (fail) throw new Error('rpc down');
        return wall.now() - 1_000;
      },
    });
    await guard.check('x');
    expect(guard.skew).toEqual({ skewMs: 1_000, at: T0 });
    fail = true;
    wall.advanceTo(T0 + RECHECK);
    await guard.check('y');
    expect(guard.skew).toEqual({ skewMs: 1_000, at: T0 });
    const none = new DriftClockGuard({ wall, logger: silentLogger, maxSkewMs: MAX_SKEW, recheckMs: RECHECK, blockTime: async () => null });
    await none.check('z');
    expect(none.skew).toBeNull();
  });

  it('drift.clockCheckMs defaults to 60 s', () => {
    expect(driftConfigSchema.parse({}).clockCheckMs).toBe(60_000);
    expect(driftConfigSchema.parse({}).maxClockSkewMs).toBe(20_000);
  });
});
