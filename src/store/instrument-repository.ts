import type { Instrument } from '../core/types.js';
import type { Db } from './database.js';

/** The instruments a run traded (tick, lot, margin terms), so reports can be made without the venue. */
export class InstrumentRepository {
  constructor(private readonly db: Db) {}

  save(instruments: readonly Instrument[], ts: number): void {
    const stmt = this.db.prepare('INSERT OR REPLACE INTO instruments (venue, symbol, data, updated_ts) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const i of instruments) stmt.run(i.venue, i.symbol, JSON.stringify(i), ts);
    })();
  }

  /** Instruments by symbol; `venue` is the store's venue name (the paper venue's), not the instrument's. */
  list(venue: string): Map<string, Instrument> {
    const rows = this.db.prepare('SELECT data FROM instruments WHERE venue = ?').all(venue) as { data: string }[];
    return new Map(rows.map((r) => JSON.parse(r.data) as Instrument).map((i) => [i.symbol, i]));
  }
}
