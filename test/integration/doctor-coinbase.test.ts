import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingsPresent } from '../support/loopback-coinbase/recordings.js';
import { LoopbackCoinbase } from '../support/loopback-coinbase/server.js';
import { runCli, tempDir } from './cli-harness.js';
import { expectPassed, jsonChecks, runDoctor, writeConfig } from './doctor-harness.js';

describe.skipIf(!recordingsPresent)('dnbot doctor --venue coinbase against the loopback venue', () => {
  let server: LoopbackCoinbase;
  let dir: string;

  beforeEach(async () => {
    server = new LoopbackCoinbase();
    await server.start();
    dir = tempDir('dnbot-doctor-');
  });
  afterEach(async () => {
    await server.stop();
  });

  function config(extra: Record<string, unknown> = {}, coinbase: Record<string, unknown> = {}): string {
    return writeConfig(dir, { venue: 'coinbase', coinbase: { urls: { rest: server.restUrl, ws: server.wsUrl }, requestTimeoutMs: 1500, ...coinbase }, ...extra });
  }
  const keys = () => ({ COINBASE_API_KEY_NAME: server.apiKeyName, COINBASE_API_PRIVATE_KEY: server.privateKeyPem.replace(/\n/g, '\\n') });

  it('all checks pass with keys set: exit 0, and no key value is ever printed', async () => {
    const { code, text } = await runDoctor('coinbase', config({ mode: 'live' }), keys());
    expect(code, text).toBe(0);
    expectPassed(text, ['config', 'keys', 'connectivity', 'clock', 'market ETH-PERP', 'market SOL-PERP', 'account', 'key permissions', 'stream', 'rate limits']);
    expect(text).toMatch(/ETH-PERP → ETP-20DEC30-CDE \(ETH\/USD:USD-301220\): tick 0\.5 USD, lot 0\.1 ETH, 1 contract = 0\.1 ETH/);
    expect(text).toMatch(/coinbase: all \d+ checks passed/);
    expect(text).not.toContain(server.apiKeyName);
    expect(text).not.toMatch(/BEGIN EC PRIVATE KEY|MHc/);
    // The key was really used: the private endpoint accepted its JWT.
    expect(server.requests.some((r) => r.private && r.path.endsWith('/cfm/balance_summary'))).toBe(true);
  });

  it('says what is wrong in plain words: clock skew, a market not listed, missing keys in live mode, limits above the published ones', async () => {
    server.serverTimeOffsetMs = 60_000;
    const file = config({ mode: 'live', bots: [{ id: 'b1', strategy: 'dn-pair', dnPair: { legA: 'ETH-PERP', legB: 'DOGE-PERP' } }] }, {
      symbols: { 'ETH-PERP': 'ETH/USD:USD-301220', 'DOGE-PERP': 'DOGE/USD:USD-301220' },
      limits: { privatePerSecond: 50 },
    });
    const run = await runDoctor('coinbase', file, {}, true);
    expect(run.code).toBe(1);
    const { ok, by } = jsonChecks(run);
    expect(ok).toBe(false);
    expect(by.get('clock')).toMatchObject({ ok: false, detail: expect.stringMatching(/local clock is 6\d{4} ms behind the venue's/) });
    expect(by.get('market DOGE-PERP')).toMatchObject({ ok: false, detail: expect.stringMatching(/DOGE\/USD:USD-301220 \(for DOGE-PERP\) is not listed/) });
    expect(by.get('market ETH-PERP')?.ok).toBe(true);
    expect(by.get('keys')).toMatchObject({ ok: false, detail: 'COINBASE_API_KEY_NAME, COINBASE_API_PRIVATE_KEY not set: live trading needs them in the environment' });
    expect(by.get('rate limits')).toMatchObject({ ok: false, detail: expect.stringMatching(/privatePerSecond 50 exceeds Coinbase's published 30\/s/) });
    expect(by.has('account')).toBe(false); // no key, no account check
  });

  it('--mode live checks what live trading needs although the config says paper', async () => {
    const paper = jsonChecks(await runDoctor('coinbase', config(), {}, true));
    expect(paper.by.get('keys')?.ok).toBe(true);
    const live = await runDoctor('coinbase', config(), {}, true, 'live');
    expect(live.code).toBe(1);
    expect(jsonChecks(live).by.get('keys')).toMatchObject({ ok: false, detail: expect.stringMatching(/COINBASE_API_KEY_NAME, COINBASE_API_PRIVATE_KEY not set/) });
  });

  it('a key the venue refuses, and a venue that does not answer', async () => {
    const other = new LoopbackCoinbase(); // a different key pair: its JWTs do not verify here
    const env = { COINBASE_API_KEY_NAME: server.apiKeyName, COINBASE_API_PRIVATE_KEY: other.privateKeyPem };
    const refused = await runDoctor('coinbase', config(), env);
    expect(refused.code).toBe(1);
    expect(refused.text).toMatch(/FAIL\s+account\s+Coinbase refused the key \(HTTP 401\)/);

    server.keyCanTrade = false;
    const viewOnly = await runDoctor('coinbase', config(), keys());
    expect(viewOnly.code).toBe(1);
    expect(viewOnly.text).toMatch(/FAIL\s+key permissions\s+the key cannot trade/);

    const file = config({}, { urls: { rest: 'http://127.0.0.1:9', ws: 'ws://127.0.0.1:9/ws' } });
    const dead = await runDoctor('coinbase', file, {});
    expect(dead.code).toBe(1);
    expect(dead.text).toMatch(/FAIL\s+connectivity\s+http:\/\/127\.0\.0\.1:9 did not answer/);
  });

  it('a secret in PEM form that cannot sign: a failed key format check in plain words (exit 1), never a piece of the secret', async () => {
    const secret = '-----BEGIN EC PRIVATE KEY-----\\nZZSECRETZZ1234567\\n-----END EC PRIVATE KEY-----';
    const run = await runDoctor('coinbase', config({ mode: 'live' }), { COINBASE_API_KEY_NAME: server.apiKeyName, COINBASE_API_PRIVATE_KEY: secret }, true);
    expect(run.code).toBe(1);
    const { by } = jsonChecks(run);
    expect(by.get('key format')).toMatchObject({ ok: false, detail: expect.stringMatching(/COINBASE_API_PRIVATE_KEY cannot sign requests: .*PEM/) });
    expect(by.get('connectivity')?.ok).toBe(true);
    expect(run.text).not.toMatch(/ZZSECRET|padding|hex string/);
  });

  it('through the CLI: exit 2 on a bad config or a missing --venue, 0 when all pass', async () => {
    const bad = writeConfig(dir, { coinbase: { staleAfterMs: -1 } });
    const r = await runCli(['doctor', '--venue', 'coinbase', '--config', bad]);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/coinbase\.staleAfterMs/);
    expect((await runCli(['doctor'])).code).toBe(2);
    const noScheme = await runCli(['doctor', '--venue', 'coinbase', '--config', writeConfig(dir, { coinbase: { urls: { ws: 'advanced-trade-ws.coinbase.com' } } })]);
    expect(noScheme.code).toBe(2);
    expect(noScheme.err.join('\n')).toMatch(/coinbase\.urls\.ws/);
    const ok = await runCli(['doctor', '--venue', 'coinbase', '--config', config()]);
    expect(ok.code, ok.out.join('\n')).toBe(0);
    expect(ok.out.join('\n')).toMatch(/keys\s+COINBASE_API_KEY_NAME, COINBASE_API_PRIVATE_KEY not set: fine for paper mode/);
  });
});
