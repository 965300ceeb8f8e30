/**
 * Typed errors with stable codes. Code is the contract: callers branch on `code`,
 * never on message text. Every code lives in {@link ErrorCodes}; a unit test checks uniqueness.
 */
export const ErrorCodes = {
  CONFIG_INVALID: 'E_CONFIG_INVALID',
  CLI_USAGE: 'E_CLI_USAGE',
  INPUT_INVALID: 'E_INPUT_INVALID',
  MARKET_BAD_EVENT: 'E_MARKET_BAD_EVENT',
  DATA_FILE: 'E_DATA_FILE',
  RISK_LEVERAGE: 'E_RISK_LEVERAGE',
  RISK_VOLUME_TARGET: 'E_RISK_VOLUME_TARGET',
  RISK_SANITY: 'E_RISK_SANITY',
  RISK_REDUCE_ONLY: 'E_RISK_REDUCE_ONLY',
  SIZE_BELOW_MINIMUM: 'E_SIZE_BELOW_MINIMUM',
  ORDER_ILLEGAL_TRANSITION: 'E_ORDER_ILLEGAL_TRANSITION',
  ORDER_DUPLICATE_CLIENT_ID: 'E_ORDER_DUPLICATE_CLIENT_ID',
  ORDER_NOT_FOUND: 'E_ORDER_NOT_FOUND',
  VENUE_REJECTED: 'E_VENUE_REJECTED',
  VENUE_UNKNOWN_OUTCOME: 'E_VENUE_UNKNOWN_OUTCOME',
  VENUE_RATE_LIMITED: 'E_VENUE_RATE_LIMITED',
  VENUE_UNKNOWN_SYMBOL: 'E_VENUE_UNKNOWN_SYMBOL',
  VENUE_UNAVAILABLE: 'E_VENUE_UNAVAILABLE',
  STORE_MIGRATION: 'E_STORE_MIGRATION',
  STORE_LOCKED: 'E_STORE_LOCKED',
  STORE_BUSY: 'E_STORE_BUSY',
  RECONCILIATION_FAILED: 'E_RECONCILIATION_FAILED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Base of every error dnbot throws on purpose. */
export class DnbotError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** Bad configuration or arguments: the CLI exits with code 2. `field` names the culprit. */
export class ConfigError extends DnbotError {
  constructor(
    readonly field: string,
    message: string,
    code: ErrorCode = ErrorCodes.CONFIG_INVALID,
  ) {
    super(code, `${field}: ${message}`, { field });
  }
}

/** A value that must never reach an order or a ledger (NaN, infinite, zero or negative). */
export class InputError extends DnbotError {
  constructor(readonly field: string, message: string) {
    super(ErrorCodes.INPUT_INVALID, `${field}: ${message}`, { field });
  }
}

/** A pre-trade check refused an order. */
export class RiskRejection extends DnbotError {}

/** The venue answered and said no. The order did not rest. */
export class VenueRejectError extends DnbotError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(ErrorCodes.VENUE_REJECTED, message, details);
  }
}

/**
 * The request may or may not have reached the venue (timeout, 5xx, dropped socket, lost ack).
 * Never retried blindly: the order stays in flight and is settled by lookup.
 */
export class VenueUnknownOutcomeError extends DnbotError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(ErrorCodes.VENUE_UNKNOWN_OUTCOME, message, details);
  }
}

export function isDnbotError(e: unknown): e is DnbotError {
  return e instanceof DnbotError;
}
