/** What a trader is told about, in order of urgency. */
export type NotificationKind =
  | 'crash'
  | 'breaker_tripped'
  | 'halted'
  | 'resumed'
  | 'risk_level'
  | 'feed_stale'
  | 'feed_recovered'
  | 'reconciliation_mismatch'
  | 'started'
  | 'stopped'
  | 'pairs'
  | 'daily_summary';

export type Severity = 'critical' | 'warning' | 'info';

/**
 * One message for the operator. Built from the bot's state only: never a key, token or URL
 * (channels add their own addressing; the text goes out as is).
 */
export interface Notification {
  readonly kind: NotificationKind;
  readonly severity: Severity;
  readonly title: string;
  readonly text: string;
  /** Market time of what happened (epoch ms). */
  readonly ts: number;
  readonly bot?: string;
  readonly venue: string;
  /** Structured details for webhooks. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** A pair opening or closing, batched into one `pairs` message per window. */
export interface PairNote {
  readonly bot: string;
  readonly pairId: string;
  readonly event: 'opened' | 'closed';
  readonly ts: number;
  /** Closed pairs: PnL net of fees (USD). */
  readonly pnlUsd?: number;
  readonly reason?: string;
}

const usd = (v: number): string => `${v < 0 ? '-' : ''}$${Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** One message for a window's pair openings and closings (they can come by the dozen in a busy hour). */
export function batchPairs(notes: readonly PairNote[], venue: string): Notification {
  const opened = notes.filter((n) => n.event === 'opened');
  const closed = notes.filter((n) => n.event === 'closed');
  const pnl = closed.reduce((a, n) => a + (n.pnlUsd ?? 0), 0);
  const lines = notes.slice(0, 20).map((n) => `${n.event === 'opened' ? '+' : '−'} ${n.bot} ${n.pairId} ${n.event}${n.event === 'closed' ? ` ${usd(n.pnlUsd ?? 0)}${n.reason ? ` (${n.reason})` : ''}` : ''}`);
  if (notes.length > 20) lines.push(`… and ${notes.length - 20} more`);
  const parts = [...(opened.length > 0 ? [`${opened.length} opened`] : []), ...(closed.length > 0 ? [`${closed.length} closed, realised ${usd(pnl)}`] : [])];
  return {
    kind: 'pairs',
    severity: 'info',
    title: `pairs: ${parts.join('; ')}`,
    text: lines.join('\n'),
    ts: notes[notes.length - 1]?.ts ?? 0,
    venue,
    data: { opened: opened.length, closed: closed.length, realisedPnlUsd: Math.round(pnl * 100) / 100, pairs: notes.map((n) => ({ ...n })) },
  };
}

export { usd as formatNotificationUsd };
