import { hashTypedData, recoverTypedDataAddress, type Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nadoConfigSchema } from '../../../../adapters/nado/nado-config.js';
import { createNadoExchange } from '../../../../adapters/nado/index.js';
import { mapInstrument } from '../../../../adapters/ccxt-common/instrument-mapper.js';
import { nadoMarginTerms } from '../../../../adapters/nado/nado-instruments.js';
import { nadoQuirks } from '../../../../adapters/nado/nado-quirks.js';
import { NadoRest } from '../../../../adapters/nado/nado-rest.js';
import { SimClock } from '../../../../src/core/clock.js';
import { silentLogger } from '../../../../src/core/logger.js';
import { WeightedLimiter } from '../../../../src/core/weighted-limiter.js';
import { LoopbackNado } from '../../../support/loopback-nado/loopback-nado.js';
import { nadoDataPresent } from '../../../support/loopback-nado/nado-fixtures.js';
import { TEST_KEY, TEST_WALLET } from '../../../support/loopback-nado/open-loopback.js';

describe.skipIf(!nadoDataPresent)('Nado orders signed through ccxt (markets from the recorded assets payload)', () => {
  const loop = new LoopbackNado();
  let rest: NadoRest;
  beforeAll(async () => {
    await loop.start();
    const cfg = nadoConfigSchema.parse({ urls: loop.urls() });
    const ex = await createNadoExchange(cfg, { walletAddress: TEST_WALLET, privateKey: TEST_KEY });
    const clock = new SimClock(0);
    rest = new NadoRest(ex, new WeightedLimiter(clock, nadoQuirks(cfg).rateBudgets), nadoQuirks(cfg), clock, silentLogger);
    await ex.loadMarkets();
  });
  afterAll(() => loop.stop());

  it('maps ccxt markets to instruments: tick, lot, min notional, recorded fees, leverage from risk weights', () => {
    const m = rest.ex.markets!['BTC/USDT0:USDT0']!;
    const inst = mapInstrument('nado', 'BTC-PERP', m, nadoMarginTerms(m.info as Record<string, unknown>));
    expect(inst).toMatchObject({ symbol: 'BTC-PERP', baseAsset: 'BTC', quoteAsset: 'USDT0', tickSize: 1, lotSize: 0.00005, minNotional: 10 });
    expect(inst.makerFeeRate).toBe(0.0001); // recorded fetchCurrencies: maker_fee 0.0001
    expect(inst.takerFeeRate).toBe(0.00035);
    expect(inst.initialMarginRatio).toBeCloseTo(0.05, 12);
    expect(inst.maintenanceMarginRatio).toBeCloseTo(0.03, 12);
    expect(inst.maxLeverage).toBeCloseTo(20, 9);
  });

  it('the signature recovers to the wallet and our digest is the EIP-712 hash (domain Nado 0.0.1, product id as verifying contract)', async () => {
    const q = nadoQuirks(nadoConfigSchema.parse({}));
    const call = q.orderCall({ clientOrderId: 'c1', symbol: 'BTC-PERP', side: 'sell', type: 'limit', tif: 'IOC', price: 83001, size: 0.0015, reduceOnly: true }, '77');
    const prep = await rest.preparePlace('BTC/USDT0:USDT0', 'sell', 0.0015, 83001, call.params);
    const place = prep.request['place_order'] as { product_id: number; id: number; order: Record<string, string>; signature: Hex };
    expect(place.id).toBe(77);
    const typed = {
      domain: { name: 'Nado', version: '0.0.1', chainId: 57073, verifyingContract: ('0x' + place.product_id.toString(16).padStart(40, '0')) as Hex },
      types: { Order: [
        { name: 'sender', type: 'bytes32' }, { name: 'priceX18', type: 'int128' }, { name: 'amount', type: 'int128' },
        { name: 'expiration', type: 'uint64' }, { name: 'nonce', type: 'uint64' }, { name: 'appendix', type: 'uint128' },
      ] },
      primaryType: 'Order' as const,
      message: {
        sender: place.order['sender'] as Hex, priceX18: BigInt(place.order['priceX18']!), amount: BigInt(place.order['amount']!),
        expiration: BigInt(place.order['expiration']!), nonce: BigInt(place.order['nonce']!), appendix: BigInt(place.order['appendix']!),
      },
    };
    expect((await recoverTypedDataAddress({ ...typed, signature: place.signature })).toLowerCase()).toBe(TEST_WALLET.toLowerCase());
    expect(prep.digest).toBe(hashTypedData(typed));
    expect(place.order['amount']).toBe('-1500000000000000'); // a sell is a negative amount
    // appendix: version 1 | IOC (1 << 9) | reduce-only (1 << 11), and no builder fee bits
    expect(BigInt(place.order['appendix']!)).toBe(1n + (1n << 9n) + (1n << 11n));
    expect(place.order['sender']!.slice(0, 42).toLowerCase()).toBe(TEST_WALLET.toLowerCase());
    expect(Buffer.from(place.order['sender']!.slice(42), 'hex').toString().replace(/\0+$/, '')).toBe('default');
  });
});
