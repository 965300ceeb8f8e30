import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientOrderIdPrefix, formatClientOrderId } from '../../../src/execution/client-order-id.js';

describe('formatClientOrderId', () => {
  it.each([
    { prefix: 'bot1-', seq: 1, id: 'bot1-000001' },
    { prefix: 'bot1-', seq: 35, id: 'bot1-00000z' },
    { prefix: 'bot1-', seq: 36, id: 'bot1-000010' },
    { prefix: 'x-', seq: 36 ** 6 - 1, id: 'x-zzzzzz' },
    { prefix: 'x-', seq: 36 ** 6, id: 'x-1000000' },
  ])('$prefix + $seq → $id', ({ prefix, seq, id }) => {
    expect(formatClientOrderId(prefix, seq)).toBe(id);
  });

  it('is injective, venue-safe and at most 32 chars for any bot id and sequence (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 2 ** 31 }), (bot, a, b) => {
        const prefix = clientOrderIdPrefix(bot);
        const idA = formatClientOrderId(prefix, a);
        const idB = formatClientOrderId(prefix, b);
        expect(idA === idB).toBe(a === b);
        expect(idA).toMatch(/^[A-Za-z0-9-]+$/);
        expect(idA.length).toBeLessThanOrEqual(32);
      }),
    );
  });
});

describe('clientOrderIdPrefix', () => {
  it.each([
    { botId: 'bot1', prefix: 'bot1-' },
    { botId: 'dn-pair/eth.btc#1', prefix: 'dnpairethbtc-' },
    { botId: '', prefix: 'bot-' },
    { botId: '!!!', prefix: 'bot-' },
    { botId: 'ÉTH_bot', prefix: 'THbot-' },
  ])('$botId → $prefix', ({ botId, prefix }) => {
    expect(clientOrderIdPrefix(botId)).toBe(prefix);
  });
});
