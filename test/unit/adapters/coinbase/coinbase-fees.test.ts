import { describe, expect, it } from 'vitest';
import { coinbaseConfigSchema } from '../../../../adapters/coinbase/coinbase-config.js';
import { resolveCoinbaseFees } from '../../../../adapters/coinbase/index.js';
import { parseTransactionSummary } from '../../../../adapters/coinbase/coinbase-parse.js';
import { isDnbotError } from '../../../../src/core/errors.js';
import { silentLogger } from '../../../../src/core/logger.js';

/** GET /brokerage/transaction_summary as the Advanced Trade docs show it (trimmed). */
const SUMMARY = {
  total_volume: 1000,
  total_fees: 0.25,
  fee_tier: { pricing_tier: 'Advanced 1', usd_from: '0', usd_to: '10000', taker_fee_rate: '0.0012', maker_fee_rate: '0.0006' },
  advanced_trade_only_volume: 1000,
  advanced_trade_only_fees: 0.25,
};

describe('Coinbase fee rates', () => {
  it('parses the fee tier of transaction_summary; a missing rate is an error naming the field', () => {
    expect(parseTransactionSummary(SUMMARY)).toEqual({ makerFeeRate: 0.0006, takerFeeRate: 0.0012 });
    const e = (() => {
      try {
        parseTransactionSummary({ fee_tier: { maker_fee_rate: '0.0006' } });
      } catch (x) {
        return x;
      }
      return null;
    })();
    expect(isDnbotError(e) && e.message).toMatch(/taker_fee_rate/);
  });

  it('reads the account tier at start (once, for the product type traded); a configured rate overrides it', async () => {
    const asked: string[] = [];
    const rest = { transactionSummary: async (t: 'SPOT' | 'FUTURE') => (asked.push(t), SUMMARY) };
    const none = coinbaseConfigSchema.parse({}).fees;
    expect(await resolveCoinbaseFees(none, rest, 'FUTURE', silentLogger)).toEqual({ makerFeeRate: 0.0006, takerFeeRate: 0.0012 });
    expect(asked).toEqual(['FUTURE']);
    expect(await resolveCoinbaseFees({ takerFeeRate: 0.0003 }, rest, 'FUTURE', silentLogger)).toEqual({ makerFeeRate: 0.0006, takerFeeRate: 0.0003 });
    expect(await resolveCoinbaseFees({ makerFeeRate: 0, takerFeeRate: 0.0003 }, rest, 'FUTURE', silentLogger)).toEqual({ makerFeeRate: 0, takerFeeRate: 0.0003 });
    expect(asked).toHaveLength(2); // both configured: nothing asked
  });

  it('paper (no key) and an unreadable summary fall back to the documented defaults', async () => {
    expect(await resolveCoinbaseFees({}, null, 'SPOT', silentLogger)).toEqual({ makerFeeRate: 0.0004, takerFeeRate: 0.0006 });
    const failing = { transactionSummary: async () => Promise.reject(new Error('HTTP 500')) };
    expect(await resolveCoinbaseFees({}, failing, 'SPOT', silentLogger)).toEqual({ makerFeeRate: 0.0004, takerFeeRate: 0.0006 });
  });
});
