import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Notification } from '../notify/notification.js';
import { NotificationWatcher } from '../notify/notification-watcher.js';
import { channelsFromEnv, type FetchLike } from '../notify/notify-channels.js';
import { Notifier } from '../notify/notifier.js';
import { secretValues } from '../notify/secret-scrub.js';
import type { Composed } from './compose.js';
import type { DnbotConfig } from './config-schema.js';

/** How long a stop or a crash waits for its last messages (wall), so an exit never hangs. */
const DRAIN_MS = 5_000;

/** The run's notifications: created before the bot starts (a failed start is reported too). */
export interface RunNotifications {
  /** The bot is composed: follow its state, and say it (re)started. */
  started(c: Composed, previousStatus: ReadonlyMap<string, string>): void;
  /** The run failed: say why (secrets scrubbed), then wait briefly for delivery. */
  crashed(err: unknown): Promise<void>;
  /** The run ended: say so with its summary, then wait briefly for delivery. */
  stopped(text: string): Promise<void>;
  close(): void;
}

const NONE: RunNotifications = { started: () => undefined, crashed: () => Promise.resolve(), stopped: () => Promise.resolve(), close: () => undefined };

/** Notifications for `dnbot run` (and replays with `notify.inReplay`), or a no-op without channels. */
export function runNotifications(o: {
  cfg: DnbotConfig;
  command: 'run' | 'replay';
  env: Readonly<Record<string, string | undefined>>;
  wall: Clock;
  logger: Logger;
  marketNow: () => number;
  fetch?: FetchLike;
}): RunNotifications {
  const n = o.cfg.notify;
  if (!n.enabled || (o.command === 'replay' && !n.inReplay)) return NONE;
  const channels = channelsFromEnv(o.env, o.fetch);
  if (channels.length === 0) return NONE;
  let venue = o.cfg.venue as string;
  const notifier = new Notifier({
    channels,
    clock: o.wall,
    logger: o.logger.child({ component: 'notify' }),
    venue,
    perMinute: n.perMinute,
    burst: n.burst,
    batchWindowMs: n.batchWindowMs,
    attempts: n.attempts,
    backoffMs: n.backoffMs,
    secrets: secretValues(o.env),
  });
  let watcher: NotificationWatcher | null = null;
  const note = (p: Omit<Notification, 'ts' | 'venue'>): Notification => ({ ...p, ts: o.marketNow(), venue });
  o.logger.info({ channels: channels.map((ch) => ch.name) }, 'notifications on');
  return {
    started(c, previous) {
      venue = c.venueName;
      watcher = new NotificationWatcher({
        store: c.store,
        notifier,
        wall: o.wall,
        marketNow: o.marketNow,
        venue,
        botIds: c.bots.map((b) => b.id),
        feeds: c.feedHealth,
        pollMs: n.pollMs,
        dailySummary: n.dailySummary,
      });
      watcher.start();
      const unclean = [...previous].filter(([, s]) => s !== 'stopped').map(([b]) => b);
      const open = c.bots.flatMap((b) => c.store.roundTrips.active(b.id));
      notifier.notify(
        note({
          kind: 'started',
          severity: unclean.length > 0 ? 'warning' : 'info',
          title: unclean.length > 0 ? `restarted after an unclean stop (${unclean.join(', ')}: crash or kill)` : previous.size > 0 ? 'restarted' : 'started',
          text: `${o.cfg.mode} on ${venue}, bots ${c.bots.map((b) => b.id).join(', ')}${open.length > 0 ? `; resuming ${open.length} open pair(s)` : ''}`,
          data: { mode: o.cfg.mode, bots: c.bots.map((b) => b.id), openPairs: open.length, uncleanStop: unclean },
        }),
      );
    },
    async crashed(err) {
      watcher?.check();
      watcher?.stop();
      notifier.flushPairs();
      const message = err instanceof Error ? err.message : String(err);
      notifier.notify(note({ kind: 'crash', severity: 'critical', title: 'dnbot stopped on an error', text: message }));
      await notifier.drain(DRAIN_MS);
    },
    async stopped(text) {
      watcher?.check();
      watcher?.stop();
      notifier.flushPairs();
      notifier.notify(note({ kind: 'stopped', severity: 'info', title: 'stopped', text }));
      await notifier.drain(DRAIN_MS);
    },
    close() {
      watcher?.stop();
      notifier.close();
    },
  };
}

