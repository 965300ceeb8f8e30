import type { Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';

/** Pause when a 429 carries no usable Retry-After (ms). */
const DEFAULT_RETRY_AFTER_MS = 1_000;
/** Longest pause a Retry-After may impose (ms): a silly header must not stall trading for hours. */
const MAX_RETRY_AFTER_MS = 60_000;
/** Longest wait for one RPC answer (wall ms). */
const RPC_TIMEOUT_MS = 20_000;

/** Retry-After as ms: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const secs = Number(header);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/**
 * The fetch the Solana Connection uses: each request gives up after `timeoutMs`; a 429 pauses the account's limiter for the
 * Retry-After (web3.js then retries the same request on its own; a resent transaction carries the
 * same signature, so it can land once at most). The URL may carry an API key: never logged.
 */
export function rpcFetch(limiter: { backoff(ms: number): void }, logger: Logger, wall: Clock, timeoutMs = RPC_TIMEOUT_MS, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    // A request the RPC never answers would hold its caller (a send, a lookup) forever.
    const ac = new AbortController();
    const timer = wall.setTimer(timeoutMs, () => ac.abort(new Error(`the RPC did not answer within ${timeoutMs} ms`)));
    init?.signal?.addEventListener('abort', () => ac.abort(init.signal!.reason));
    try {
      const res = await base(input, { ...init, signal: ac.signal });
      if (res.status === 429) {
        const ms = Math.min(MAX_RETRY_AFTER_MS, retryAfterMs(res.headers.get('retry-after'), wall.now()) ?? DEFAULT_RETRY_AFTER_MS);
        limiter.backoff(ms);
        logger.warn({ backoffMs: ms }, 'drift: the RPC answered 429; pausing requests');
      }
      // The body is read by web3.js after this returns: buffer it here, inside the timeout.
      const body = await res.arrayBuffer();
      return new Response(body.byteLength === 0 ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
    } finally {
      wall.cancelTimer(timer);
    }
  };
}
