import { ConfigError } from '../../../src/core/errors.js';

/** The ConfigError `fn` throws (any other throw is rethrown; no throw fails the test). */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}
