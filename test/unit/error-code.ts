import { DnbotError } from '../../src/core/errors.js';

/** The code of the DnbotError `fn` throws; 'not a DnbotError' for any other throw; undefined if none. */
export function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DnbotError ? e.code : 'not a DnbotError';
  }
  return undefined;
}
