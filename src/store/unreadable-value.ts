import { DnbotError, ErrorCodes } from '../core/errors.js';

/**
 * The error for a packed value this build cannot read (a newer format, or damaged), named by
 * `what` ("a bar_hours row") with the table and column in its details: `E_STORE_MIGRATION`, as a
 * schema newer than the build is.
 */
export function unreadableValue(what: string, stored: Uint8Array, why: string, where: { readonly table: string; readonly column?: string }): DnbotError {
  return new DnbotError(ErrorCodes.STORE_MIGRATION, `${what} holds ${stored.length} bytes this build cannot read (${why}); was it written by a newer dnbot?`, { ...where, bytes: stored.length });
}
