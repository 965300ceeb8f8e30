import type { Logger } from '../../src/core/logger.js';

/** Pause when a 429 carries no usable Retry-After (ms). */
const DEFAULT_RETRY_AFTER_MS = 1_000;
/** Longest pause a Retry-After may impose (ms): a silly header must not stall trading for hours. */
const MAX_RETRY_AFTER_MS = 60_000;

/** Retry-After as ms: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const secs = Number(header);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/**
 * The fetch the Solana Connection uses: a 429 from the RPC pauses the account's limiter for the
 * Retry-After (web3.js then retries the same request on its own; a resent transaction carries the
 * same signature, so it can land once at most). The URL may carry an API key: never logged.
 */
export function rpcFetch(limiter: { backoff(ms: number): void }, logger: Logger, now: () => number, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const res = await base(input, init);
    if (res.status === 429) {
      const ms = Math.min(MAX_RETRY_AFTER_MS, retryAfterMs(res.headers.get('retry-after'), now()) ?? DEFAULT_RETRY_AFTER_MS);
      limiter.backoff(ms);
      logger.warn({ backoffMs: ms }, 'drift: the RPC answered 429; pausing requests');
    }
    return res;
  };
}
