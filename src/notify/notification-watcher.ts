import type { Clock, TimerHandle } from '../core/clock.js';
import { utcDay } from '../core/utc-day.js';
import type { FeedHealth } from '../core/venue.js';
import type { JournalEvent } from '../store/event-journal.js';
import type { Store } from '../store/store.js';
import { formatNotificationUsd as usd, type Notification } from './notification.js';
import type { Notifier } from './notifier.js';

export interface WatcherOptions {
  readonly store: Store;
  readonly notifier: Notifier;
  /** Wall clock: how often the state is looked at. */
  readonly wall: Clock;
  /** The bot's market time (events and the daily rollover are judged on it). */
  readonly marketNow: () => number;
  readonly venue: string;
  readonly botIds: readonly string[];
  readonly feeds: () => readonly FeedHealth[];
  readonly pollMs: number;
  /** Send the daily summary at each UTC rollover of market time. */
  readonly dailySummary: boolean;
}

/**
 * Turns what the bot records into notifications, by following state rather than hooking into
 * the engine: new journal rows (breaker trips, risk-level changes, reconciliation mismatches,
 * protection actions, pairs opened and closed), halts and resumes in the controls table, feeds
 * going stale and recovering, and the UTC day rolling over (a summary of the day that ended).
 */
export class NotificationWatcher {
  private lastEventId: number;
  private readonly halted = new Map<string, string | null>();
  private readonly stale = new Map<string, boolean>();
  private day: string;
  private timer: TimerHandle | null = null;

  constructor(private readonly o: WatcherOptions) {
    // Only what happens from now on: a restart does not replay yesterday's journal.
    this.lastEventId = o.store.events.lastId();
    for (const b of o.botIds) this.halted.set(b, o.store.controls.halted(b));
    this.day = utcDay(o.marketNow());
  }

  start(): void {
    const tick = (): void => {
      this.check();
      this.timer = this.o.wall.setTimer(this.o.pollMs, tick);
    };
    this.timer = this.o.wall.setTimer(this.o.pollMs, tick);
  }

  stop(): void {
    if (this.timer) this.o.wall.cancelTimer(this.timer);
    this.timer = null;
  }

  /** One look at the state (tests call it directly). */
  check(): void {
    const n = this.o.notifier;
    for (;;) {
      const events = this.o.store.events.after(this.lastEventId, 500);
      for (const e of events) this.onEvent(e);
      if (events.length < 500) break;
    }
    for (const b of this.o.botIds) {
      const now = this.o.store.controls.halted(b);
      const before = this.halted.get(b) ?? null;
      if (now !== before) {
        this.halted.set(b, now);
        n.notify(this.note(now !== null ? { kind: 'halted', severity: 'warning', title: 'entries halted', text: now, bot: b } : { kind: 'resumed', severity: 'info', title: 'entries resumed', text: '', bot: b }));
      }
    }
    for (const f of this.o.feeds()) {
      const key = `${f.venue} ${f.symbol}`;
      const was = this.stale.get(key) ?? false;
      if (f.stale !== was) {
        this.stale.set(key, f.stale);
        n.notify(this.note(f.stale ? { kind: 'feed_stale', severity: 'warning', title: `feed stale: ${key}`, text: f.reason ?? 'no update in time; new entries pause' } : { kind: 'feed_recovered', severity: 'info', title: `feed live again: ${key}`, text: '' }));
      }
    }
    const day = utcDay(this.o.marketNow());
    if (day !== this.day) {
      const ended = this.day;
      this.day = day;
      if (this.o.dailySummary) {
        n.flushPairs();
        n.notify(this.dailySummary(ended));
      }
    }
  }

  private note(p: Omit<Notification, 'ts' | 'venue'> & { ts?: number }): Notification {
    return { ...p, ts: p.ts ?? this.o.marketNow(), venue: this.o.venue };
  }

  private onEvent(e: JournalEvent): void {
    this.lastEventId = e.id;
    const n = this.o.notifier;
    const d = e.data;
    const bot = e.botId ?? undefined;
    const base = { ts: e.ts, ...(bot ? { bot } : {}), data: d };
    switch (e.kind) {
      case 'breaker_tripped':
        n.notify(this.note({ ...base, kind: 'breaker_tripped', severity: 'critical', title: `loss-limit breaker tripped (${String(d['scope'] ?? '')} ${String(d['key'] ?? '')})`, text: `loss ${usd(Number(d['loss'] ?? 0))} reached the limit ${usd(Number(d['limit'] ?? 0))}; no new entries until reset or rollover` }));
        return;
      case 'risk_level': {
        const to = String(d['to'] ?? '');
        const reasons = Array.isArray(d['reasons']) ? (d['reasons'] as unknown[]).map(String).join('; ') : '';
        const action = (d['action'] as { kind?: unknown } | undefined)?.kind;
        n.notify(this.note({ ...base, kind: 'risk_level', severity: to === 'critical' || to === 'high' ? 'critical' : to === 'low' ? 'info' : 'warning', title: `risk level ${String(d['from'] ?? 'none')} → ${to}`, text: [reasons, action ? `action: ${String(action)}` : ''].filter(Boolean).join('\n') }));
        return;
      }
      case 'reconciliation': {
        const m = Array.isArray(d['positionMismatches']) ? (d['positionMismatches'] as unknown[]).map(String) : [];
        if (m.length > 0) n.notify(this.note({ ...base, kind: 'reconciliation_mismatch', severity: 'critical', title: 'reconciliation: positions differ from the venue', text: m.join('\n') }));
        return;
      }
      case 'protection_action':
        n.notify(this.note({ ...base, kind: 'risk_level', severity: 'warning', title: `protection: ${String(d['action'] ?? '')}`, text: String(d['reason'] ?? '') }));
        return;
      case 'pair_open':
        if (bot) n.pair({ bot, pairId: String(d['pairId'] ?? ''), event: 'opened', ts: e.ts });
        return;
      case 'pair_closed':
        if (bot) n.pair({ bot, pairId: String(d['pairId'] ?? ''), event: 'closed', ts: e.ts, pnlUsd: Number(d['pnl'] ?? 0), ...(d['reason'] ? { reason: String(d['reason']) } : {}) });
        return;
      default:
        return;
    }
  }

  /** The day that ended, per bot: volume, fees, trading PnL, pairs closed, equity. */
  private dailySummary(day: string): Notification {
    const lines: string[] = [];
    const data: Record<string, unknown>[] = [];
    const from = Date.parse(`${day}T00:00:00Z`);
    for (const b of this.o.botIds) {
      const v = this.o.store.dailyVolume.get(b, day);
      const closed = this.o.store.db.prepare(`SELECT COUNT(*) AS n, COALESCE(SUM(realized_pnl), 0) AS pnl FROM round_trips WHERE bot_id = ? AND status = 'closed' AND exit_ts >= ? AND exit_ts < ?`).get(b, from, from + 86_400_000) as { n: number; pnl: number };
      const equity = this.o.store.snapshots.latestEquity(b)?.equity ?? null;
      lines.push(`${b}: volume ${usd(v.volumeUsd)}, fees ${usd(v.feesUsd)}, trading PnL ${usd(v.realizedPnl - v.feesUsd)}, ${closed.n} pairs closed (realised ${usd(closed.pnl)})${equity !== null ? `, equity ${usd(equity)}` : ''}`);
      data.push({ bot: b, volumeUsd: v.volumeUsd, feesUsd: v.feesUsd, tradingPnlUsd: v.realizedPnl - v.feesUsd, pairsClosed: closed.n, realisedPnlUsd: closed.pnl, equityUsd: equity });
    }
    return this.note({ kind: 'daily_summary', severity: 'info', title: `daily summary ${day} (UTC)`, text: lines.join('\n'), data: { day, bots: data } });
  }
}
