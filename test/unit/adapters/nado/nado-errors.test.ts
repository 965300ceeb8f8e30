import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../../../adapters/nado/nado-rest.js';

describe('classifyError (what a failed Nado request means for a create)', () => {
  it('ccxt errors that say the request may or may not have executed leave the outcome unknown', () => {
    // ccxt's OperationFailed family: "the request may have been executed" — a create must be looked up, never called rejected.
    for (const E of [ccxt.RequestTimeout, ccxt.NetworkError, ccxt.ExchangeNotAvailable, ccxt.OnMaintenance, ccxt.BadResponse, ccxt.NullResponse, ccxt.CancelPending, ccxt.OperationFailed, ccxt.ExchangeError]) {
      expect([E.name, classifyError(new E('nado x'))]).toEqual([E.name, 'network']);
    }
  });

  it('rate limits, missing orders and definite refusals keep their meaning', () => {
    expect(classifyError(new ccxt.RateLimitExceeded('nado'))).toBe('rate_limited');
    expect(classifyError(new ccxt.DDoSProtection('nado'))).toBe('rate_limited');
    expect(classifyError(new ccxt.OrderNotFound('nado'))).toBe('not_found');
    for (const E of [ccxt.InvalidOrder, ccxt.InsufficientFunds, ccxt.OrderImmediatelyFillable, ccxt.AuthenticationError, ccxt.BadSymbol]) {
      expect([E.name, classifyError(new E('nado x'))]).toEqual([E.name, 'rejected']);
    }
    expect(classifyError(new Error('fetch failed'))).toBe('network');
    expect(classifyError(new TypeError('x is not a function'))).toBe('rejected');
  });
});
