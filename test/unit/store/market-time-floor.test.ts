import { describe, expect, it } from 'vitest';
import { latestMarketTs, MARKET_TIME_COLUMNS, NON_MARKET_TIME_COLUMNS } from '../../../src/store/market-time-floor.js';
import { Store } from '../../../src/store/store.js';

/** Columns that look like a time stamp: `ts`, `*_ts`, `timestamp`, `last_risk_calculation`. */
function stampedColumns(store: Store): string[] {
  const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  const out: string[] = [];
  for (const t of tables) {
    for (const c of store.db.prepare(`PRAGMA table_info(${t.name})`).all() as { name: string }[]) {
      if (/(^|_)ts$|timestamp|calculation$/.test(c.name)) out.push(`${t.name}.${c.name}`);
    }
  }
  return out.sort();
}

describe('market time floor', () => {
  it('covers every stamped column of the schema (market time or listed as not market time)', () => {
    const store = Store.open(':memory:');
    const known = [...MARKET_TIME_COLUMNS.map((c) => `${c.table}.${c.column}`), ...NON_MARKET_TIME_COLUMNS].sort();
    expect(known).toEqual(stampedColumns(store));
    store.close();
  });

  it('is the latest stamp of the venue, whichever table holds it', () => {
    const store = Store.open(':memory:');
    store.bots.ensure('b1', 'dn-pair', 'sim', 1_000);
    store.bots.ensure('b2', 'dn-pair', 'replay', 1_000);
    store.bots.setLastMarketTs('b1', 60_000);
    expect(latestMarketTs(store.db, 'sim')).toBe(60_000);
    // Written after the last snapshot: a risk recalculation, then an exit event.
    store.riskAdjustments.record({ botId: 'b1', ts: 89_000, previousMultiplier: 1, multiplier: 1, signalStrength: 0, confidence: 0, avgPnlLast50: null, tradesInWindow: 0, trigger: 'first', inputs: {} });
    expect(latestMarketTs(store.db, 'sim')).toBe(89_000);
    store.events.record(95_000, 'b1', 'pair_entering', {});
    expect(latestMarketTs(store.db, 'sim')).toBe(95_000);
    // Another venue's history does not move this one's clock.
    store.events.record(500_000, 'b2', 'pair_entering', {});
    store.bots.setLastMarketTs('b2', 600_000);
    expect(latestMarketTs(store.db, 'sim')).toBe(95_000);
    expect(latestMarketTs(store.db, 'replay')).toBe(600_000);
    store.close();
  });

  it('is 0 on a fresh database', () => {
    const store = Store.open(':memory:');
    expect(latestMarketTs(store.db, 'sim')).toBe(0);
    store.close();
  });
});
