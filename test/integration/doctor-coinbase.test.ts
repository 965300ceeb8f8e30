import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.js';
import { doctorCommand } from '../../src/cli/doctor-command.js';
import { recordingsPresent } from '../support/loopback-coinbase/recordings.js';
import { LoopbackCoinbase } from '../support/loopback-coinbase/server.js';
import { runCli, tempDir } from './cli-harness.js';

function capture(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l), stdoutIsTty: false, stderrIsTty: false };
}

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
    const file = join(dir, `cfg-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ venue: 'coinbase', coinbase: { urls: { rest: server.restUrl, ws: server.wsUrl }, requestTimeoutMs: 1500, ...coinbase }, ...extra }));
    return file;
  }
  const keys = () => ({ COINBASE_API_KEY_NAME: server.apiKeyName, COINBASE_API_PRIVATE_KEY: server.privateKeyPem.replace(/\n/g, '\\n') });

  it('all checks pass with keys set: exit 0, and no key value is ever printed', async () => {
    const io = capture();
    const code = await doctorCommand({ venue: 'coinbase', config: config({ mode: 'live' }) }, io, { defaultConfigPath: '/nonexistent', env: keys() });
    const text = io.lines.join('\n');
    expect(code, text).toBe(0);
    for (const name of ['config', 'keys', 'connectivity', 'clock', 'market ETH-PERP', 'market SOL-PERP', 'account', 'key permissions', 'stream', 'rate limits']) {
      expect(text).toMatch(new RegExp(`^ok\\s+${name}\\s`, 'm'));
    }
    expect(text).toMatch(/ETH-PERP → ETP-20DEC30-CDE \(ETH\/USD:USD-301220\): tick 0\.5 USD, lot 0\.1 ETH, 1 contract = 0\.1 ETH/);
    expect(text).toMatch(/coinbase: all \d+ checks passed/);
    expect(text).not.toContain(server.apiKeyName);
    expect(text).not.toMatch(/BEGIN EC PRIVATE KEY|MHc/);
    // The key was really used: the private endpoint accepted its JWT.
    expect(server.requests.some((r) => r.private && r.path.endsWith('/cfm/balance_summary'))).toBe(true);
  });

  it('says what is wrong in plain words: clock skew, a market not listed, missing keys in live mode, limits above the published ones', async () => {
    server.serverTimeOffsetMs = 60_000;
    const io = capture();
    const file = config({ mode: 'live', bots: [{ id: 'b1', strategy: 'dn-pair', dnPair: { legA: 'ETH-PERP', legB: 'DOGE-PERP' } }] }, {
      symbols: { 'ETH-PERP': 'ETH/USD:USD-301220', 'DOGE-PERP': 'DOGE/USD:USD-301220' },
      limits: { privatePerSecond: 50 },
    });
    const code = await doctorCommand({ venue: 'coinbase', config: file, json: true }, io, { defaultConfigPath: '/nonexistent', env: {} });
    expect(code).toBe(1);
    const out = JSON.parse(io.lines[0]!) as { ok: boolean; results: { name: string; ok: boolean; detail: string }[] };
    const by = new Map(out.results.map((r) => [r.name, r]));
    expect(out.ok).toBe(false);
    expect(by.get('clock')).toMatchObject({ ok: false, detail: expect.stringMatching(/local clock is 6\d{4} ms behind the venue's/) });
    expect(by.get('market DOGE-PERP')).toMatchObject({ ok: false, detail: expect.stringMatching(/DOGE\/USD:USD-301220 \(for DOGE-PERP\) is not listed/) });
    expect(by.get('market ETH-PERP')?.ok).toBe(true);
    expect(by.get('keys')).toMatchObject({ ok: false, detail: 'COINBASE_API_KEY_NAME, COINBASE_API_PRIVATE_KEY not set: live trading needs them in the environment' });
    expect(by.get('rate limits')).toMatchObject({ ok: false, detail: expect.stringMatching(/privatePerSecond 50 exceeds Coinbase's published 30\/s/) });
    expect(by.has('account')).toBe(false); // no key, no account check
  });

  it('a key the venue refuses, and a venue that does not answer', async () => {
    const io = capture();
    const other = new LoopbackCoinbase(); // a different key pair: its JWTs do not verify here
    const env = { COINBASE_API_KEY_NAME: server.apiKeyName, COINBASE_API_PRIVATE_KEY: other.privateKeyPem };
    expect(await doctorCommand({ venue: 'coinbase', config: config() }, io, { defaultConfigPath: '/nonexistent', env })).toBe(1);
    expect(io.lines.join('\n')).toMatch(/FAIL\s+account\s+Coinbase refused the key \(HTTP 401\)/);

    server.keyCanTrade = false;
    const viewOnly = capture();
    expect(await doctorCommand({ venue: 'coinbase', config: config() }, viewOnly, { defaultConfigPath: '/nonexistent', env: keys() })).toBe(1);
    expect(viewOnly.lines.join('\n')).toMatch(/FAIL\s+key permissions\s+the key cannot trade/);

    const dead = capture();
    const file = config({}, { urls: { rest: 'http://127.0.0.1:9', ws: 'ws://127.0.0.1:9/ws' } });
    expect(await doctorCommand({ venue: 'coinbase', config: file }, dead, { defaultConfigPath: '/nonexistent', env: {} })).toBe(1);
    expect(dead.lines.join('\n')).toMatch(/FAIL\s+connectivity\s+http:\/\/127\.0\.0\.1:9 did not answer/);
  });

  it('through the CLI: exit 2 on a bad config or a missing --venue, 0 when all pass', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ coinbase: { staleAfterMs: -1 } }));
    const r = await runCli(['doctor', '--venue', 'coinbase', '--config', bad]);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/coinbase\.staleAfterMs/);
    expect((await runCli(['doctor'])).code).toBe(2);
    const ok = await runCli(['doctor', '--venue', 'coinbase', '--config', config()]);
    expect(ok.code, ok.out.join('\n')).toBe(0);
    expect(ok.out.join('\n')).toMatch(/keys\s+COINBASE_API_KEY_NAME, COINBASE_API_PRIVATE_KEY not set: fine for paper mode/);
  });
});
