import { AnalyticsError } from '../../../src/analytics/analytics-error.js';

/** The code of the AnalyticsError `fn` throws; 'not an AnalyticsError' for any other throw; undefined if none. */
export function analyticsErrorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AnalyticsError ? e.code : 'not an AnalyticsError';
  }
  return undefined;
}

/** Fails unless every number anywhere in `value` (arrays and plain objects, recursively) is finite. */
export function expectAllFinite(value: unknown, path = 'result'): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => expectAllFinite(v, `${path}[${i}]`));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) expectAllFinite(v, `${path}.${k}`);
  }
}

/** Runs `fn`: it must either return a result with only finite numbers, or throw an AnalyticsError. */
export function finiteOrAnalyticsError(fn: () => unknown): void {
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    if (e instanceof AnalyticsError) return;
    throw e;
  }
  expectAllFinite(result);
}
