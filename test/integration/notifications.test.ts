import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClock, SimClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { runCommand } from '../../src/cli/run-command.js';
import type { CliIo } from '../../src/cli/cli-io.js';
import { NotificationWatcher } from '../../src/notify/notification-watcher.js';
import type { Notification } from '../../src/notify/notification.js';
import { Notifier } from '../../src/notify/notifier.js';
import { Store } from '../../src/store/store.js';
import { tempDir } from './cli-harness.js';

interface Received {
  readonly path: string;
  readonly body: string;
}

/** A loopback server standing in for Telegram's Bot API and a webhook: the first answer of each path is a 502. */
function loopback(): Promise<{ server: Server; base: string; received: Received[] }> {
  const received: Received[] = [];
  const failedOnce = new Set<string>();
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '';
      if (!failedOnce.has(path)) {
        failedOnce.add(path);
        res.writeHead(502).end('bad gateway');
        return;
      }
      received.push({ path, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received })));
}

const TOKEN = '123456:telegram-test-token-abcdef';
const HOOK_SECRET = 'hook-secret-9f8e7d6c';

describe('notifications of a run, to Telegram and a webhook on loopback', () => {
  let srv: Awaited<ReturnType<typeof loopback>>;
  beforeAll(async () => {
    srv = await loopback();
  });
  afterAll(() => {
    srv.server.close();
  });

  it('sends the start, batched pairs, the daily summary and the stop, retrying a 502, never carrying a secret', async () => {
    const dir = tempDir();
    const cfg = join(dir, 'c.json');
    writeFileSync(cfg, JSON.stringify({ db: join(dir, 'n.db'), api: { enabled: false }, log: { level: 'silent' }, notify: { backoffMs: 10, batchWindowMs: 50, pollMs: 20, perMinute: 600, burst: 100 } }));
    const io: CliIo = { out: () => undefined, err: () => undefined, stdoutIsTty: false, stderrIsTty: false };
    const env = {
      DNBOT_TELEGRAM_BOT_TOKEN: TOKEN,
      DNBOT_TELEGRAM_CHAT_ID: '-100123',
      DNBOT_TELEGRAM_API_URL: srv.base,
      DNBOT_WEBHOOK_URL: `${srv.base}/hook/${HOOK_SECRET}`,
    };
    const { summary } = await runCommand({ flags: { config: cfg, duration: '26h', speed: 'max' }, command: 'run', io, env, handleSignals: false });
    expect(summary.roundTrips).toBeGreaterThan(0);

    const telegram = srv.received.filter((r) => r.path === `/bot${TOKEN}/sendMessage`).map((r) => JSON.parse(r.body) as { chat_id: string; text: string });
    const hooks = srv.received.filter((r) => r.path === `/hook/${HOOK_SECRET}`).map((r) => JSON.parse(r.body) as { kind: string; source: string; time: string });
    expect(telegram.every((t) => t.chat_id === '-100123')).toBe(true);
    expect(hooks.map((h) => h.kind)).toEqual(expect.arrayContaining(['started', 'pairs', 'daily_summary', 'stopped']));
    expect(hooks[0]!.kind).toBe('started');
    expect(hooks[hooks.length - 1]!.kind).toBe('stopped');
    expect(telegram.length).toBe(hooks.length);
    expect(telegram.some((t) => /daily summary 2026-01-01 \(UTC\)/.test(t.text))).toBe(true);
    // Market time, not the wall.
    expect(hooks.every((h) => h.time.startsWith('2026-01-0'))).toBe(true);
    // Pair events arrive as pair messages, never more messages than events. How they are batched is the
    // notifier unit test's (injected clock): here the batch window is wall time and a busy machine may give
    // every event a window of its own.
    const pairMessages = hooks.filter((h) => h.kind === 'pairs').length;
    expect(pairMessages).toBeGreaterThan(0);
    // An opening and a closing per closed pair, and the opening of a pair still open at the end.
    expect(pairMessages).toBeLessThanOrEqual(2 * summary.roundTrips + 1);
    for (const r of srv.received) {
      expect(r.body).not.toContain(TOKEN);
      expect(r.body).not.toContain(HOOK_SECRET);
    }
  });
});

describe('NotificationWatcher', () => {
  it('reports breaker trips, halts and resumes, stale feeds and reconciliation mismatches from the state', async () => {
    const store = Store.open(join(tempDir(), 'w.db'));
    const sent: Notification[] = [];
    const clock = new SimClock(Date.UTC(2026, 0, 1));
    const notifier = new Notifier({ channels: [{ name: 'fake', send: (n) => (sent.push(n), Promise.resolve({ ok: true })) }], clock, logger: silentLogger, venue: 'nado', perMinute: 600, burst: 100, batchWindowMs: 1_000, attempts: 1, backoffMs: 1 });
    let stale = false;
    const w = new NotificationWatcher({
      store,
      notifier,
      wall: new LiveClock(),
      marketNow: () => clock.now(),
      venue: 'nado',
      botIds: ['b1'],
      feeds: () => [{ venue: 'nado', symbol: 'ETH-PERP', lastUpdateTs: 1, stale, reason: stale ? 'no book for 12 s' : null, resyncs: 0, dropped: 0 }],
      pollMs: 1_000,
      dailySummary: true,
    });
    store.bots.ensure('b1', 'dn-pair', 'nado', clock.now());
    store.events.record(clock.now(), 'b1', 'breaker_tripped', { scope: 'portfolio_day', key: 'portfolio', loss: 310, limit: 300 });
    store.events.record(clock.now(), null, 'reconciliation', { ordersChecked: 1, fillsBackfilled: 0, positionMismatches: ['ETH-PERP: ledger 1, venue 0'] });
    store.controls.setHalted('b1', true, 'operator: maintenance', clock.now());
    stale = true;
    w.check();
    store.controls.setHalted('b1', false, '', clock.now());
    stale = false;
    clock.advanceTo(Date.UTC(2026, 0, 2, 0, 1));
    w.check();
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    expect(sent.map((s) => s.kind), JSON.stringify(sent.map((s) => s.title))).toEqual(['breaker_tripped', 'reconciliation_mismatch', 'halted', 'feed_stale', 'resumed', 'feed_recovered', 'daily_summary']);
    expect(sent[0]!.severity).toBe('critical');
    expect(sent[0]!.text).toContain('$310.00');
    store.close();
  });
});
