import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingsPresent } from '../support/loopback-coinbase/recordings.js';
import { LoopbackCoinbase } from '../support/loopback-coinbase/server.js';
import { heartbeats, marketActivity } from '../support/loopback-coinbase/harness.js';
import { runCli, summaryOf, tempDir } from './cli-harness.js';

describe.skipIf(!recordingsPresent)('dnbot run --venue coinbase (paper on the venue\'s live books, through the loopback venue)', () => {
  let server: LoopbackCoinbase;
  let stopHb: () => void;
  beforeEach(async () => {
    server = new LoopbackCoinbase();
    await server.start();
    const hb = heartbeats(server, 200);
    const activity = marketActivity(server, ['ETP-20DEC30-CDE', 'SLP-20DEC30-CDE'], 100);
    stopHb = () => {
      hb();
      activity();
    };
  });
  afterEach(async () => {
    stopHb();
    await server.stop();
  });

  it('runs the DN pair in paper mode from the config alone: no keys needed, no private request sent', async () => {
    const dir = tempDir('dnbot-cb-paper-');
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ venue: 'coinbase', coinbase: { urls: { rest: server.restUrl, ws: server.wsUrl } } }));
    const r = await runCli(['run', '--venue', 'coinbase', '--config', cfg, '--duration', '3s', '--db', join(dir, 'db.sqlite'), '--json', '--log-level', 'silent', '--api-port', '0']);
    expect(r.code, r.err.join('\n')).toBe(0);
    const s = summaryOf(r);
    expect(Number(s['events'] ?? s['eventsProcessed'] ?? 0), JSON.stringify(s)).toBeGreaterThan(10);
    expect(server.stream.subscribes.map((m) => m['channel']).sort()).toEqual(['heartbeats', 'level2', 'market_trades']);
    expect(server.stream.subscribes.find((m) => m['channel'] === 'level2')!['product_ids']).toEqual(['ETP-20DEC30-CDE', 'SLP-20DEC30-CDE']);
    expect(server.requests.filter((x) => x.private)).toHaveLength(0);
    expect(server.state.createsReceived).toBe(0);
  });

  it('live mode refuses to start without the CDP key, naming the variable (exit 2)', async () => {
    const dir = tempDir('dnbot-cb-live-');
    const cfg = join(dir, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ venue: 'coinbase', coinbase: { urls: { rest: server.restUrl, ws: server.wsUrl } } }));
    const saved = { k: process.env['COINBASE_API_KEY_NAME'], s: process.env['COINBASE_API_PRIVATE_KEY'] };
    delete process.env['COINBASE_API_KEY_NAME'];
    delete process.env['COINBASE_API_PRIVATE_KEY'];
    try {
      const r = await runCli(['run', '--venue', 'coinbase', '--mode', 'live', '--live', '--config', cfg, '--duration', '2s', '--db', join(dir, 'db.sqlite'), '--log-level', 'silent', '--api-port', '0']);
      expect(r.code).toBe(2);
      expect(r.err.join('\n')).toMatch(/COINBASE_API_KEY_NAME/);
    } finally {
      if (saved.k !== undefined) process.env['COINBASE_API_KEY_NAME'] = saved.k;
      if (saved.s !== undefined) process.env['COINBASE_API_PRIVATE_KEY'] = saved.s;
    }
  });
});
