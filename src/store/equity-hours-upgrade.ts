import type { Db } from './database.js';
import { equityHourColumns, hourOf, type EquityValues } from './equity-hours.js';

/**
 * Migration 17's rows, which SQL cannot pack: each bot's hours of `equity_snapshots` written to
 * `equity_hours` (src/store/equity-hours.ts), then the old table dropped. Runs inside the
 * migration's transaction.
 */
export function upgradeEquityHours(db: Db): void {
  const insert = db.prepare('INSERT INTO equity_hours (bot_id, hour_ts, first_ts, last_ts, peak_equity, snapshots) VALUES (?, ?, ?, ?, ?, ?)');
  let bot: string | null = null;
  let hour = 0;
  let rows: EquityValues[] = [];
  const write = (): void => {
    if (bot === null || rows.length === 0) return;
    const c = equityHourColumns(hour, rows);
    insert.run(bot, hour, c.firstTs, c.lastTs, c.peak, c.snapshots);
  };
  // In pages, after the last row read: SQLite runs no statement while another is being read.
  const page = db.prepare(
    'SELECT bot_id, ts, equity, collateral, net_delta AS netDelta, gross_notional AS grossNotional FROM equity_snapshots WHERE (bot_id, ts) > (?, ?) ORDER BY bot_id, ts LIMIT 10000',
  );
  let after: [string, number] = ['', Number.MIN_SAFE_INTEGER];
  for (;;) {
    const stored = page.all(...after) as (EquityValues & { bot_id: string })[];
    if (stored.length === 0) break;
    for (const r of stored) {
      if (r.bot_id !== bot || hourOf(r.ts) !== hour) {
        write();
        bot = r.bot_id;
        hour = hourOf(r.ts);
        rows = [];
      }
      rows.push({ ts: r.ts, equity: r.equity, collateral: r.collateral, netDelta: r.netDelta, grossNotional: r.grossNotional });
    }
    const last = stored.at(-1)!;
    after = [last.bot_id, last.ts];
  }
  write();
  // A statement, not db.exec: a migration is one exec of its SQL.
  db.prepare('DROP TABLE equity_snapshots').run();
}
