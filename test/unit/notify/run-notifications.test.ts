import { afterEach, describe, expect, it } from 'vitest';
import { LiveClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { Composed } from '../../../src/cli/compose.js';
import { parseConfig } from '../../../src/cli/config-loader.js';
import { runNotifications, type RunNotifications } from '../../../src/cli/run-notifications.js';
import type { FetchLike } from '../../../src/notify/notify-channels.js';
import { Store } from '../../../src/store/store.js';

const HOOK_SECRET = 'hook-secret-5a4b3c2d';
const KEY = 'venue-private-key-0123456789abcdef';

interface Hook {
  readonly kind: string;
  readonly severity: string;
  readonly title: string;
  readonly text: string;
}

/** A webhook that accepts everything and keeps what it was sent. */
function recordingFetch(): { fetch: FetchLike; hooks: Hook[]; bodies: string[] } {
  const hooks: Hook[] = [];
  const bodies: string[] = [];
  const fetch: FetchLike = (_url, init) => {
    bodies.push(init.body);
    hooks.push(JSON.parse(init.body) as Hook);
    return Promise.resolve({ status: 200, headers: { get: () => null }, text: () => Promise.resolve('{}') });
  };
  return { fetch, hooks, bodies };
}

describe('run notifications: crashes and restarts', () => {
  const open: RunNotifications[] = [];
  afterEach(() => {
    for (const n of open.splice(0)) n.close();
  });

  const make = (fetch: FetchLike): RunNotifications => {
    const n = runNotifications({
      cfg: parseConfig({}),
      command: 'run',
      env: { DNBOT_WEBHOOK_URL: `http://127.0.0.1:9/hook/${HOOK_SECRET}`, DRIFT_PRIVATE_KEY: KEY },
      wall: new LiveClock(),
      logger: silentLogger,
      marketNow: () => Date.UTC(2026, 0, 1),
      fetch,
    });
    open.push(n);
    return n;
  };

  /** Just what `started` reads of a composed runtime. */
  const composed = (store: Store): Composed => ({ venueName: 'sim', store, bots: [{ id: 'dn-eth-sol' }], feedHealth: () => [] }) as unknown as Composed;

  it('a crash is sent as critical with its message, secrets scrubbed, before the exit', async () => {
    const rec = recordingFetch();
    await make(rec.fetch).crashed(new Error(`venue refused the key ${KEY}`));
    expect(rec.hooks.map((h) => [h.kind, h.severity])).toEqual([['crash', 'critical']]);
    expect(rec.hooks[0]!.text).toContain('venue refused the key');
    for (const b of rec.bodies) expect(b).not.toContain(KEY);
  });

  it('a start after a bot was left running (crash or kill) says so, as a warning', async () => {
    const rec = recordingFetch();
    const n = make(rec.fetch);
    n.started(composed(Store.open(':memory:')), new Map([['dn-eth-sol', 'running']]));
    await n.stopped('done');
    expect(rec.hooks[0]!.kind).toBe('started');
    expect(rec.hooks[0]!.severity).toBe('warning');
    expect(rec.hooks[0]!.title).toMatch(/^restarted after an unclean stop \(dn-eth-sol/);
  });

  it('a start after a clean stop is a plain restart; a first start is a start', async () => {
    const rec = recordingFetch();
    const n = make(rec.fetch);
    n.started(composed(Store.open(':memory:')), new Map([['dn-eth-sol', 'stopped']]));
    await n.stopped('done');
    const first = recordingFetch();
    const m = make(first.fetch);
    m.started(composed(Store.open(':memory:')), new Map());
    await m.stopped('done');
    expect([rec.hooks[0]!.title, rec.hooks[0]!.severity]).toEqual(['restarted', 'info']);
    expect([first.hooks[0]!.title, first.hooks[0]!.severity]).toEqual(['started', 'info']);
  });
});
