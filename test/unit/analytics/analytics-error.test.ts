import { describe, expect, it } from 'vitest';
import { AnalyticsError, AnalyticsErrorCodes, isAnalyticsError } from '../../../src/analytics/analytics-error.js';
import { ErrorCodes } from '../../../src/core/errors.js';

describe('AnalyticsError registry', () => {
  it('codes are unique, E_ANALYTICS_-prefixed and do not collide with core codes', () => {
    const codes = Object.values(AnalyticsErrorCodes);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^E_ANALYTICS_[A-Z_]+$/);
    const core = new Set<string>(Object.values(ErrorCodes));
    for (const c of codes) expect(core.has(c)).toBe(false);
  });

  it('carries code and field; the guard recognises it', () => {
    const e = new AnalyticsError(AnalyticsErrorCodes.INPUT, 'returns[3]', 'must be finite');
    expect(e.code).toBe('E_ANALYTICS_INPUT');
    expect(e.field).toBe('returns[3]');
    expect(e.name).toBe('AnalyticsError');
    expect(e).toBeInstanceOf(Error);
    expect(isAnalyticsError(e)).toBe(true);
    expect(isAnalyticsError(new Error('x'))).toBe(false);
  });
});
