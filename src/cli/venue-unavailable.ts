import { DnbotError, ErrorCodes, isDnbotError } from '../core/errors.js';

/**
 * What opening a real venue failed on, for a person at a terminal: the first line of the cause
 * (never a library's stack) and where to look next. Our own typed errors (bad config, a paused
 * program) pass through unchanged.
 */
export function venueUnavailable(venue: string, err: unknown): unknown {
  if (isDnbotError(err) && err.code !== ErrorCodes.VENUE_UNKNOWN_OUTCOME && err.code !== ErrorCodes.VENUE_RATE_LIMITED) return err;
  const cause = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
  return new DnbotError(ErrorCodes.VENUE_UNAVAILABLE, `${venue}: could not open the venue: ${cause}; run \`dnbot doctor --venue ${venue}\` to check the network, clock, keys and config`, { venue });
}
