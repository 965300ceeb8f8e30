import type { Commitment, Connection } from '@solana/web3.js';
import { BulkAccountLoader } from '@drift-labs/sdk';
import type { Logger } from '../../src/core/logger.js';

/**
 * The SDK's polling account loader, made safe to run unattended. When a poll fails (RPC down, 429,
 * a socket reset) the loader calls its error callbacks, and every SDK subscriber registers one that
 * emits 'error' on its own EventEmitter, which nobody listens to: Node throws it, the poll's
 * promise rejects from inside a setInterval, and the unhandled rejection ends the process. Here
 * each callback is guarded and the failure logged; the next poll tries again.
 */
export class GuardedAccountLoader extends BulkAccountLoader {
  constructor(
    connection: Connection,
    commitment: Commitment,
    pollingFrequency: number,
    private readonly logger: Logger,
  ) {
    super(connection, commitment, pollingFrequency);
  }

  override addErrorCallbacks(callback: (error: Error) => void): string {
    return super.addErrorCallbacks((error) => {
      try {
        callback(error);
      } catch {
        // The subscriber's unheard 'error' event: the poll failed; the next one tries again.
        this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'drift: account poll failed; the next poll retries');
      }
    });
  }
}
