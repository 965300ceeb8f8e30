import { Keypair } from '@solana/web3.js';
import { afterEach, describe, expect, it } from 'vitest';
import { unseenTxFate } from '../../../../adapters/drift/drift-raw-client.js';
import { driftRateBudgets } from '../../../../adapters/drift/drift-quirks.js';
import { DriftSdkClient } from '../../../../adapters/drift/drift-sdk-client.js';
import { LiveClock } from '../../../../src/core/clock.js';
import { silentLogger } from '../../../../src/core/logger.js';
import { WeightedLimiter } from '../../../../src/core/weighted-limiter.js';
import { startLoopbackDrift, type LoopbackDrift } from './loopback-drift.js';

describe('unseenTxFate: a transaction with no status is dropped only past its blockhash expiry height', () => {
  const now = 1_700_000_000_000;
  it.each([
    ['height below the expiry, signed long ago', 499, { lastValidBlockHeight: 500, sentAt: now - 600_000 }, 'pending'],
    ['height at the expiry (still valid)', 500, { lastValidBlockHeight: 500, sentAt: now - 600_000 }, 'pending'],
    ['height past the expiry, signed a moment ago', 501, { lastValidBlockHeight: 500, sentAt: now - 1_000 }, 'dropped'],
    ['height unknown', null, { lastValidBlockHeight: 500, sentAt: now - 600_000 }, 'pending'],
    ['an older record without a height: the wall clock, within', null, { lastValidBlockHeight: null, sentAt: now - 100_000 }, 'pending'],
    ['an older record without a height: the wall clock, past', null, { lastValidBlockHeight: null, sentAt: now - 151_000 }, 'dropped'],
  ] as const)('%s', (_n, height, expiry, want) => {
    expect(unseenTxFate(height, expiry, now)).toBe(want);
  });
});

let lb: LoopbackDrift | null = null;
afterEach(async () => {
  await lb?.close();
  lb = null;
});

function client(rpcUrl: string): DriftSdkClient {
  const wall = new LiveClock();
  return new DriftSdkClient({
    rpcUrl,
    env: 'mainnet-beta',
    programId: 'dRiftyHA39MWEi3m9aunc5MzRF1JYuBsbn6VPcn33UH',
    keypair: Keypair.generate(),
    subAccountId: 0,
    perpMarketIndexes: [0],
    settlementMarketIndex: 0,
    accountRefreshMs: 1_000,
    confirmTimeoutMs: 1_000,
    priorityFee: { mode: 'fixed', microLamports: 1, maxMicroLamports: 1, computeUnits: 1 },
    wall,
    logger: silentLogger,
    limiter: new WeightedLimiter(wall, driftRateBudgets({ rpcPerSecond: 1e6, txPerSecond: 1e6 })),
  });
}

describe('DriftSdkClient.txStatus over a loopback RPC', () => {
  it('reads the block height before the signature status; null status is pending until the height passes lastValidBlockHeight, then dropped', async () => {
    lb = await startLoopbackDrift();
    const c = client(lb.rpc);
    const sig = '5'.repeat(88);
    const expiry = { lastValidBlockHeight: 1_000, sentAt: 0 }; // signed "long ago" by the wall: irrelevant
    lb.blockHeight = 1_000;
    expect(await c.txStatus(sig, expiry)).toEqual({ status: 'pending' });
    expect(lb.rpcMethods).toEqual(['getBlockHeight', 'getSignatureStatuses']);
    lb.blockHeight = 1_001;
    expect(await c.txStatus(sig, expiry)).toEqual({ status: 'dropped' });
    // Past the height but seen by the chain: never called dropped.
    lb.sigStatus.set(sig, { slot: 7, confirmationStatus: 'confirmed', err: { InstructionError: [2, { Custom: 6010 }] } });
    expect(await c.txStatus(sig, expiry)).toMatchObject({ status: 'failed' });
    lb.sigStatus.set(sig, { slot: 7, confirmationStatus: 'processed', err: null });
    expect(await c.txStatus(sig, expiry)).toEqual({ status: 'pending' });
  });
});
