import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoopbackNado } from '../support/loopback-nado/loopback-nado.js';
import { nadoDataPresent } from '../support/loopback-nado/nado-fixtures.js';
import { TEST_KEY, TEST_WALLET } from '../support/loopback-nado/open-loopback.js';
import { tempDir } from './cli-harness.js';
import { expectPassed, jsonChecks, runDoctor, writeConfig } from './doctor-harness.js';

describe.skipIf(!nadoDataPresent)('dnbot doctor --venue nado against the loopback Nado venue', () => {
  let loop: LoopbackNado;
  let dir: string;
  beforeEach(async () => {
    loop = new LoopbackNado();
    await loop.start();
    dir = tempDir('dnbot-doctor-nado-');
  });
  afterEach(async () => {
    await loop.stop();
  });

  function config(nado: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): string {
    const bots = [{ id: 'b1', strategy: 'dn-pair', dnPair: { legA: 'ETH-PERP', legB: 'BTC-PERP' } }];
    return writeConfig(dir, { venue: 'nado', bots, nado: { urls: loop.urls(), requestTimeoutMs: 1500, ...nado }, ...extra });
  }

  it('passes with keys set: markets listed with their grid, builder fee off, limits within the published ones', async () => {
    const env = { NADO_WALLET_ADDRESS: TEST_WALLET, NADO_PRIVATE_KEY: TEST_KEY };
    const { code, text } = await runDoctor('nado', config({}, { mode: 'live' }), env);
    expect(code, text).toBe(0);
    expectPassed(text, ['config', 'keys', 'connectivity', 'clock', 'market ETH-PERP', 'market BTC-PERP', 'builder fee', 'stream', 'rate limits']);
    expect(text).toMatch(/ETH-PERP → ETH\/USDT0:USDT0 \(product \d+\): tick [\d.e-]+, lot [\d.e-]+/);
    expect(text).not.toContain(TEST_KEY.slice(2, 20));
  });

  it('names a clock skew past nado.maxClockSkewMs in ms, from the venue\'s time query', async () => {
    loop.timeOffsetMs = 9_000; // the venue 9 s ahead: the local clock is 9 s behind
    const run = await runDoctor('nado', config({ maxClockSkewMs: 3_000 }), {}, true);
    const { by } = jsonChecks(run);
    expect(by.get('clock')).toMatchObject({ ok: false, detail: expect.stringMatching(/local clock is (8|9)\d{3} ms behind the venue's \(limit 3000 ms\)/) });
    loop.timeOffsetMs = 1_000;
    const ok = jsonChecks(await runDoctor('nado', config({ maxClockSkewMs: 3_000 }), {}, true));
    expect(ok.by.get('clock')).toMatchObject({ ok: true });
  });

  it('names what is wrong: a missing key in live mode, a bad key shape, an unlisted market, limits above the published ones', async () => {
    const file = config({ symbols: { 'ETH-PERP': 'ETH/USDT0:USDT0', 'BTC-PERP': 'BTC/NOPE:NOPE' }, limits: { ordersPer10s: 500 } }, { mode: 'live' });
    const run = await runDoctor('nado', file, { NADO_WALLET_ADDRESS: 'not-an-address' }, true);
    expect(run.code).toBe(1);
    const { by } = jsonChecks(run);
    expect(by.get('keys')).toMatchObject({ ok: false, detail: 'NADO_PRIVATE_KEY not set: live trading needs it in the environment' });
    expect(by.get('key format')).toMatchObject({ ok: false, detail: expect.stringMatching(/NADO_WALLET_ADDRESS should be a 0x-prefixed 20-byte address/) });
    expect(by.get('key format')!.detail).not.toContain('not-an-address');
    expect(by.get('market BTC-PERP')).toMatchObject({ ok: false, detail: expect.stringMatching(/BTC\/NOPE:NOPE \(for BTC-PERP\) is not listed on Nado/) });
    expect(by.get('rate limits')).toMatchObject({ ok: false, detail: expect.stringMatching(/nado\.limits\.ordersPer10s 500 exceeds the published 100/) });
  });
});
