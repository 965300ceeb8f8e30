import { EventEmitter } from 'node:events';
import { Connection, Keypair } from '@solana/web3.js';
import { BulkAccountLoader } from '@drift-labs/sdk';
import { describe, expect, it, vi } from 'vitest';
import { GuardedAccountLoader } from '../../../../adapters/drift/drift-account-loader.js';
import { silentLogger } from '../../../../src/core/logger.js';

/** A loader over an RPC that refuses connections, with a subscriber's unheard 'error' emitter, as the SDK registers it. */
async function failingPoll(loader: BulkAccountLoader): Promise<void> {
  await loader.addAccount(Keypair.generate().publicKey, () => undefined);
  const emitter = new EventEmitter();
  loader.addErrorCallbacks((e) => emitter.emit('error', e));
  await loader.load();
}

describe('GuardedAccountLoader', () => {
  it('a failed account poll is logged instead of rejecting (the SDK would end the process from its timer)', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const rpc = (): Connection => new Connection('http://127.0.0.1:9', 'confirmed');
    // The control: the SDK's own loader rejects, which from its setInterval is an unhandled rejection.
    await expect(failingPoll(new BulkAccountLoader(rpc(), 'confirmed', 0))).rejects.toThrow();
    const warned: object[] = [];
    const logger = { ...silentLogger, warn: (o: object) => void warned.push(o) };
    await expect(failingPoll(new GuardedAccountLoader(rpc(), 'confirmed', 0, logger))).resolves.toBeUndefined();
    expect(warned).toHaveLength(1);
    vi.restoreAllMocks();
  });
});
