import { Keypair } from '@solana/web3.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { driftRateBudgets } from '../../../../adapters/drift/drift-quirks.js';
import { DriftMarketSource } from '../../../../adapters/drift/drift-market-source.js';
import { DriftSdkClient } from '../../../../adapters/drift/drift-sdk-client.js';
import { LiveClock } from '../../../../src/core/clock.js';
import { silentLogger } from '../../../../src/core/logger.js';
import type { Instrument } from '../../../../src/core/types.js';
import { WeightedLimiter } from '../../../../src/core/weighted-limiter.js';
import { startLoopbackDrift, type LoopbackDrift } from './loopback-drift.js';

let lb: LoopbackDrift | null = null;
let src: DriftMarketSource | null = null;
afterEach(async () => {
  await src?.close();
  src = null;
  await lb?.close();
  lb = null;
});

const SOL = { venue: 'drift', symbol: 'SOL-PERP', tickSize: 0.0001, lotSize: 0.01, minSize: 0.01 } as Instrument;

describe('Drift faults: 5xx from the RPC and the DLOB server', () => {
  it('a DLOB /l2 answering 502 leaves the book unseeded (stale, said so) until the websocket brings one', async () => {
    lb = await startLoopbackDrift();
    lb.l2Http5xx = 1;
    src = new DriftMarketSource({
      instruments: [SOL], marketIndex: new Map([['SOL-PERP', 0]]), driftName: new Map([[0, 'SOL-PERP']]),
      dlobHttp: lb.dlobHttp, dlobWs: lb.dlobWs, dataApi: null, wall: new LiveClock(), logger: silentLogger,
      staleAfterMs: 5_000, reconnectDelayMs: 50, bookDepth: 10,
    });
    await src.open();
    expect(src.top('SOL-PERP')).toBeNull();
    expect(src.feedHealth()[0]).toMatchObject({ stale: true, reason: 'resyncing after a reconnect' });
    await vi.waitFor(() => expect(lb!.openSockets()).toBe(1), { timeout: 3_000, interval: 10 });
    await vi.waitFor(() => expect(lb!.subscribes.length).toBeGreaterThan(0), { timeout: 3_000, interval: 10 });
    lb.pushBooks();
    await vi.waitFor(() => expect(src!.top('SOL-PERP')).not.toBeNull(), { timeout: 3_000, interval: 10 });
    expect(src.feedHealth()[0]!.stale).toBe(false);
  });

  it('an RPC answering 503 to a signature lookup is an error, never a verdict: the transaction is not called dropped', async () => {
    lb = await startLoopbackDrift();
    const wall = new LiveClock();
    const c = new DriftSdkClient({
      rpcUrl: lb.rpc, env: 'mainnet-beta', programId: 'dRiftyHA39MWEi3m9aunc5MzRF1JYuBsbn6VPcn33UH', keypair: Keypair.generate(), subAccountId: 0,
      perpMarketIndexes: [0], settlementMarketIndex: 0, accountRefreshMs: 1_000, confirmTimeoutMs: 1_000,
      priorityFee: { mode: 'fixed', microLamports: 1, maxMicroLamports: 1, computeUnits: 1 }, wall, logger: silentLogger,
      limiter: new WeightedLimiter(wall, driftRateBudgets({ rpcPerSecond: 1e6, txPerSecond: 1e6 })),
    });
    lb.blockHeight = 2_000; // past the expiry: only a real null status may say dropped
    lb.rpc5xx = 10; // more than web3.js's own retries
    await expect(c.txStatus('5'.repeat(88), { lastValidBlockHeight: 1_000, sentAt: 0 })).rejects.toThrow();
    lb.rpc5xx = 0;
    expect(await c.txStatus('5'.repeat(88), { lastValidBlockHeight: 1_000, sentAt: 0 })).toEqual({ status: 'dropped' });
  });
});
