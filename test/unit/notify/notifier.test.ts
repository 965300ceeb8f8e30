import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { Notification } from '../../../src/notify/notification.js';
import type { NotifyChannel, SendResult } from '../../../src/notify/notify-channels.js';
import { Notifier, type NotifierOptions } from '../../../src/notify/notifier.js';

/** A channel answering from a script, recording what it was sent. */
class FakeChannel implements NotifyChannel {
  readonly name = 'fake';
  readonly sent: Notification[] = [];
  constructor(private readonly answers: SendResult[] = []) {}
  send(n: Notification): Promise<SendResult> {
    this.sent.push(n);
    return Promise.resolve(this.answers.shift() ?? { ok: true });
  }
}

const note = (title: string, severity: Notification['severity'] = 'info'): Notification => ({ kind: 'started', severity, title, text: '', ts: 0, venue: 'sim' });
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};
function notifier(channel: NotifyChannel, clock: SimClock, over: Partial<NotifierOptions> = {}): Notifier {
  return new Notifier({ channels: [channel], clock, logger: silentLogger, venue: 'sim', perMinute: 60, burst: 2, batchWindowMs: 60_000, attempts: 3, backoffMs: 1_000, ...over });
}

describe('Notifier', () => {
  it('notify() returns at once; the channel is paced by its token bucket', async () => {
    const clock = new SimClock(0);
    const ch = new FakeChannel();
    const n = notifier(ch, clock);
    for (let i = 0; i < 5; i++) n.notify(note(`m${i}`));
    await settle();
    expect(ch.sent.map((x) => x.title)).toEqual(['m0', 'm1']);
    clock.advanceTo(1_000);
    await settle();
    expect(ch.sent).toHaveLength(3);
    clock.advanceTo(3_000);
    await settle();
    clock.advanceTo(3_000);
    await settle();
    expect(ch.sent).toHaveLength(5);
  });

  it('retries a 5xx or 429 with backoff (Retry-After honoured), then delivers', async () => {
    const clock = new SimClock(0);
    const ch = new FakeChannel([{ ok: false, retryable: true, status: 502 }, { ok: false, retryable: true, status: 429, retryAfterMs: 5_000 }, { ok: true }]);
    const n = notifier(ch, clock, { burst: 10 });
    n.notify(note('important', 'critical'));
    await settle();
    expect(ch.sent).toHaveLength(1);
    clock.advanceTo(1_000); // first backoff
    await settle();
    expect(ch.sent).toHaveLength(2);
    clock.advanceTo(2_500); // 2 s backoff would be due, the 5 s Retry-After is not
    await settle();
    expect(ch.sent).toHaveLength(2);
    clock.advanceTo(6_000);
    await settle();
    expect(ch.sent).toHaveLength(3);
    expect(n.pending()).toBe(0);
  });

  it('gives up after its attempts, and at once on a 4xx', async () => {
    const clock = new SimClock(0);
    const ch = new FakeChannel([{ ok: false, retryable: false, status: 400 }, { ok: true }]);
    const n = notifier(ch, clock, { burst: 10 });
    n.notify(note('refused'));
    n.notify(note('next'));
    await settle();
    await settle();
    expect(ch.sent.map((x) => x.title)).toEqual(['refused', 'next']);
  });

  it('batches pair openings and closings into one message per window', async () => {
    const clock = new SimClock(0);
    const ch = new FakeChannel();
    const n = notifier(ch, clock);
    n.pair({ bot: 'b', pairId: 'p1', event: 'opened', ts: 1 });
    n.pair({ bot: 'b', pairId: 'p1', event: 'closed', ts: 2, pnlUsd: 1.5 });
    n.pair({ bot: 'b', pairId: 'p2', event: 'opened', ts: 3 });
    await settle();
    expect(ch.sent).toHaveLength(0);
    clock.advanceTo(60_000);
    await settle();
    expect(ch.sent).toHaveLength(1);
    expect(ch.sent[0]!.kind).toBe('pairs');
    expect(ch.sent[0]!.title).toBe('pairs: 2 opened; 1 closed, realised $1.50');
  });

  it('scrubs secret values from every message', async () => {
    const clock = new SimClock(0);
    const ch = new FakeChannel();
    const n = notifier(ch, clock, { secrets: ['sk-live-0123456789'] });
    n.notify({ ...note('failed: key sk-live-0123456789 rejected'), text: 'GET https://x/?k=sk-live-0123456789', data: { url: 'sk-live-0123456789' } });
    await settle();
    expect(JSON.stringify(ch.sent)).not.toContain('sk-live-0123456789');
    expect(ch.sent[0]!.title).toBe('failed: key [redacted] rejected');
  });
});
