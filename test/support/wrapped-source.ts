import type { MarketEvent } from '../../src/core/types.js';
import type { MarketDataSource } from '../../src/core/venue.js';

/**
 * `inner`'s instruments, start and history, with events from `next` (which usually calls
 * `inner.next()`, acting on the run or rewriting what it returns): what a test hands to
 * `compose({ wrapSource })` to watch or steer a run event by event. `soundEvents` is not passed
 * on, since `next` may hand out events `inner` never made: the runtime checks each one, unless
 * `options.soundEvents` says so.
 */
export function wrappedSource(inner: MarketDataSource, next: () => MarketEvent | null, options: { readonly soundEvents?: boolean } = {}): MarketDataSource {
  return {
    instruments: inner.instruments,
    startTs: inner.startTs,
    history: (symbol, bars) => inner.history(symbol, bars),
    next,
    ...(options.soundEvents ? { soundEvents: true } : {}),
  };
}
