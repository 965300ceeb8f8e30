import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientOrderIdPrefix, formatClientOrderId, ORDER_ID_NAMESPACES, orderIdNamespace, seededOrderIdNamespace } from '../../../src/execution/client-order-id.js';

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
      fc.property(fc.string({ maxLength: 40 }), fc.integer({ min: 0, max: ORDER_ID_NAMESPACES - 1 }), fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 2 ** 31 }), (bot, ns, a, b) => {
        const prefix = clientOrderIdPrefix(bot, orderIdNamespace(ns));
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

describe('order id namespaces', () => {
  it.each([
    { n: 0, ns: '0000' },
    { n: 35, ns: '000z' },
    { n: ORDER_ID_NAMESPACES - 1, ns: 'zzzz' },
    { n: ORDER_ID_NAMESPACES, ns: '0000' },
    { n: -1, ns: 'zzzz' },
  ])('$n → $ns', ({ n, ns }) => {
    expect(orderIdNamespace(n)).toBe(ns);
  });

  it('go between the bot id and the sequence', () => {
    expect(formatClientOrderId(clientOrderIdPrefix('dn-eth-sol', 'k3x9'), 1)).toBe('dnethsol-k3x9-000001');
  });

  it('differ between two bots’ namespaces only when the namespaces differ (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: ORDER_ID_NAMESPACES - 1 }), fc.integer({ min: 0, max: ORDER_ID_NAMESPACES - 1 }), fc.integer({ min: 1, max: 2 ** 31 }), (x, y, seq) => {
        const a = formatClientOrderId(clientOrderIdPrefix('bot', orderIdNamespace(x)), seq);
        const b = formatClientOrderId(clientOrderIdPrefix('bot', orderIdNamespace(y)), seq);
        expect(a === b).toBe(x === y);
      }),
    );
  });

  it('from a seed: the same seed gives the same namespace, neighbouring seeds different ones', () => {
    expect(seededOrderIdNamespace(42)).toBe(seededOrderIdNamespace(42));
    const seen = new Set(Array.from({ length: 100 }, (_, i) => seededOrderIdNamespace(i)));
    expect(seen.size).toBe(100);
  });
});
