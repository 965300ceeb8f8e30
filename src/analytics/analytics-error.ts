/**
 * Typed errors of the analytics module. `src/analytics` imports nothing of ours (ARCHITECTURE), so
 * it keeps its own small registry instead of `src/core/errors.ts`; a caller that needs a DnbotError
 * wraps an {@link AnalyticsError} by its `code`. Codes are the contract: branch on `code`, never on
 * message text. A unit test checks the codes are unique and do not collide with core's.
 */
export const AnalyticsErrorCodes = {
  /** Malformed input: NaN/Infinity, |x| > 1e100, mismatched lengths, a parameter out of range. */
  INPUT: 'E_ANALYTICS_INPUT',
  /** Fewer points than the method needs (each function states its minimum). */
  TOO_FEW_POINTS: 'E_ANALYTICS_TOO_FEW_POINTS',
  /** A covariance/correlation matrix that is not (strictly) positive definite. */
  NOT_POSITIVE_DEFINITE: 'E_ANALYTICS_NOT_POSITIVE_DEFINITE',
  /** A model cannot be fitted to this data (e.g. GARCH on a constant series). */
  DEGENERATE: 'E_ANALYTICS_DEGENERATE',
} as const;

export type AnalyticsErrorCode = (typeof AnalyticsErrorCodes)[keyof typeof AnalyticsErrorCodes];

/** The only error analytics functions throw on purpose. `field` names the offending argument. */
export class AnalyticsError extends Error {
  readonly code: AnalyticsErrorCode;
  readonly field: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: AnalyticsErrorCode, field: string, message: string, details: Record<string, unknown> = {}) {
    super(`${field}: ${message}`);
    this.name = 'AnalyticsError';
    this.code = code;
    this.field = field;
    this.details = details;
  }
}

/** Type guard for callers that catch and map by code. */
export function isAnalyticsError(e: unknown): e is AnalyticsError {
  return e instanceof AnalyticsError;
}
