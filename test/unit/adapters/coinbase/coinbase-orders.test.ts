import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import ccxt from 'ccxt';
import { orderBody } from '../../../../adapters/coinbase/coinbase-instruments.js';
import { parseProducts } from '../../../../adapters/coinbase/coinbase-parse.js';
import { coinbaseOrderCall, coinbaseQuirks } from '../../../../adapters/coinbase/coinbase-quirks.js';
import type { OrderRequest } from '../../../../src/core/types.js';
import { readAdvanced, recordingsPresent } from '../../../support/loopback-coinbase/recordings.js';

const req = (o: Partial<OrderRequest>): OrderRequest => ({ clientOrderId: 'bot1-00000a', symbol: 'BTC-PERP', side: 'buy', type: 'limit', tif: 'POST_ONLY', price: 68917.3, size: 0.057, reduceOnly: false, ...o });

describe.skipIf(!recordingsPresent)('Coinbase order bodies', () => {
  const bip = parseProducts(readAdvanced('http_products_future.json')).find((p) => p.productId === 'BIP-20DEC30-CDE')!;

  it('post-only is limit_limit_gtc with post_only; bids round down, asks up; sizes become whole contracts', () => {
    expect(orderBody(req({}), bip)).toEqual({
      client_order_id: 'bot1-00000a',
      product_id: 'BIP-20DEC30-CDE',
      side: 'BUY',
      order_configuration: { limit_limit_gtc: { base_size: '5', limit_price: '68915', post_only: true } },
    });
    const ask = orderBody(req({ side: 'sell', price: 68917.3 }), bip);
    expect(ask['order_configuration']).toEqual({ limit_limit_gtc: { base_size: '5', limit_price: '68920', post_only: true } });
  });

  it('IOC (and a market order with a protective limit) is sor_limit_ioc; GTC is not post-only', () => {
    expect(orderBody(req({ tif: 'IOC' }), bip)['order_configuration']).toEqual({ sor_limit_ioc: { base_size: '5', limit_price: '68915' } });
    expect(orderBody(req({ type: 'market', tif: 'IOC', side: 'sell', price: 68000.1 }), bip)['order_configuration']).toEqual({ sor_limit_ioc: { base_size: '5', limit_price: '68005' } });
    expect(orderBody(req({ tif: 'GTC' }), bip)['order_configuration']).toEqual({ limit_limit_gtc: { base_size: '5', limit_price: '68915', post_only: false } });
  });

  it('never carries a reduce-only field, even for a reduce-only request', () => {
    const body = orderBody(req({ reduceOnly: true, side: 'sell' }), bip);
    expect(JSON.stringify(body)).not.toMatch(/reduce/i);
    expect(coinbaseQuirks.reduceOnly).toBe('ours');
  });

  it('ccxt 4.5.84 with our params sends our client_order_id and the right configuration, no close-position request', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const ex = new ccxt.coinbase({ apiKey: 'organizations/o/apiKeys/k', secret: privateKey.export({ type: 'sec1', format: 'pem' }).toString(), enableRateLimit: false });
    const raw = (readAdvanced('http_products_future.json')['products'] as unknown[])[0];
    const market = (ex as unknown as { parseContractMarket(m: unknown, f: unknown): unknown }).parseContractMarket(raw, {});
    ex.setMarkets([market as never]);
    const sent: { url: string; body: string }[] = [];
    (ex as unknown as { fetch: (u: string, m: string, h: unknown, b: string) => Promise<unknown> }).fetch = async (url, _m, _h, body) => {
      sent.push({ url, body });
      return { success: true, success_response: { order_id: 'o-1', product_id: 'BIP-20DEC30-CDE', side: 'BUY', client_order_id: 'bot1-00000a' } };
    };
    for (const [r, config] of [
      [req({}), 'limit_limit_gtc'],
      [req({ tif: 'IOC' }), 'sor_limit_ioc'],
    ] as const) {
      const call = coinbaseOrderCall(r, r.clientOrderId);
      expect(Object.keys(call.params)).not.toContain('reduceOnly');
      expect(Object.keys(call.params)).not.toContain('clientOrderId');
      await ex.createOrder('BTC/USD:USD-301220', call.type, r.side, 5, 68915, call.params);
      const body = JSON.parse(sent.at(-1)!.body) as Record<string, unknown>;
      expect(sent.at(-1)!.url).toMatch(/\/api\/v3\/brokerage\/orders$/);
      expect(body['client_order_id']).toBe('bot1-00000a');
      expect(Object.keys(body['order_configuration'] as object)).toEqual([config]);
    }
    expect((JSON.parse(sent[0]!.body) as { order_configuration: { limit_limit_gtc: { post_only: boolean } } }).order_configuration.limit_limit_gtc.post_only).toBe(true);
    // The trap: ccxt's own reduceOnly turns the order into a close-position request.
    await ex.createOrder('BTC/USD:USD-301220', 'limit', 'sell', 5, 68915, { reduceOnly: true, client_order_id: 'x' });
    expect(sent.at(-1)!.url).toMatch(/close_position$/);
    expect(JSON.stringify(JSON.parse(sent.at(-1)!.body))).not.toMatch(/limit_price|order_configuration/); // our limit is gone
  });
});
