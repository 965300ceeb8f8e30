import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LoopbackNado } from '../support/loopback-nado/loopback-nado.js';
import { nadoDataPresent } from '../support/loopback-nado/nado-fixtures.js';
import { TEST_KEY, TEST_WALLET } from '../support/loopback-nado/open-loopback.js';
import { runCli, summaryOf, tempDir } from './cli-harness.js';

describe.skipIf(!nadoDataPresent)('dnbot run --venue nado against the loopback venue', () => {
  const loop = new LoopbackNado();
  const dir = tempDir('dnbot-nado-run-');
  const cfg = join(dir, 'cfg.json');
  let ticker: ReturnType<typeof setInterval> | null = null;
  beforeAll(async () => {
    await loop.start();
    loop.wallet = TEST_WALLET;
    writeFileSync(cfg, JSON.stringify({
      bots: [{ id: 'dn', strategy: 'dn-pair', baseNotionalUsd: 500, dnPair: { legA: 'ETH-PERP', legB: 'SOL-PERP' } }],
      nado: { urls: loop.urls(), staleAfterMs: 1_000 },
    }));
    ticker = setInterval(() => loop.tick(), 50);
  });
  afterAll(async () => {
    if (ticker) clearInterval(ticker);
    await loop.stop();
  });
  afterEach(() => {
    delete process.env['NADO_WALLET_ADDRESS'];
    delete process.env['NADO_PRIVATE_KEY'];
  });
  const args = (db: string, extra: string[] = []) => ['run', '--venue', 'nado', '--config', cfg, '--duration', '3s', '--db', join(dir, db), '--json', '--log-level', 'silent', '--api-port', '0', ...extra];

  it('paper mode: the paper engine runs on the venue\'s streamed books (no keys needed)', async () => {
    const r = await runCli(args('paper.db'));
    expect(r.code).toBe(0);
    const s = summaryOf(r);
    expect(s['eventsProcessed']).toBeGreaterThan(20);
    expect(loop.placed).toHaveLength(0); // nothing reached the venue
  }, 30_000);

  it('live mode refuses to start without keys, naming the variable and never a value', async () => {
    process.env['NADO_PRIVATE_KEY'] = TEST_KEY;
    const r = await runCli(args('nokeys.db', ['--mode', 'live', '--live']));
    expect(r.code).toBe(2);
    const text = [...r.out, ...r.err].join('\n');
    expect(text).toMatch(/NADO_WALLET_ADDRESS/);
    expect(text).not.toContain(TEST_KEY.slice(2, 20));
  }, 30_000);

  it('live mode: reconciles with the venue, runs, and cancels everything on shutdown', async () => {
    process.env['NADO_WALLET_ADDRESS'] = TEST_WALLET;
    process.env['NADO_PRIVATE_KEY'] = TEST_KEY;
    const before = loop.requests.filter((x) => x.kind === 'cancel').length;
    const r = await runCli(args('live.db', ['--mode', 'live', '--live']));
    expect(r.code).toBe(0);
    expect(summaryOf(r)['eventsProcessed']).toBeGreaterThan(20);
    // Shutdown cancels all orders on every configured product (cancel_product_orders).
    expect(loop.requests.filter((x) => x.kind === 'cancel').length).toBeGreaterThanOrEqual(before + 2);
  }, 30_000);

  it('live mode refuses to trade when the venue holds a position our store does not know', async () => {
    process.env['NADO_WALLET_ADDRESS'] = TEST_WALLET;
    process.env['NADO_PRIVATE_KEY'] = TEST_KEY;
    const eth = loop.positions.get(loop.product('ETH-PERP').productId)!;
    eth.amount = 2n * 10n ** 17n; // 0.2 ETH long on the venue
    eth.vQuote = -600n * 10n ** 18n;
    try {
      const r = await runCli(args('mismatch.db', ['--mode', 'live', '--live']));
      expect(r.code).not.toBe(0);
      expect([...r.out, ...r.err].join('\n')).toMatch(/ETH-PERP/);
    } finally {
      eth.amount = 0n;
      eth.vQuote = 0n;
    }
  }, 30_000);
});
