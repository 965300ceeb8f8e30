import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiHandlers } from '../../src/cli/api-handlers.js';
import { compose, type Composed } from '../../src/cli/compose.js';
import { parseConfig } from '../../src/cli/config-loader.js';
import { LiveClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { ApiHandlers } from '../../src/api/api-server.js';
import { inflateHistory } from '../support/history-inflation.js';
import { tempDir } from './cli-harness.js';

// Page reads of this thread (Linux): SQLite reads one page per read() call, and an empty page
// cache makes every page a statement visits a read. No clock is involved.
const IO = '/proc/thread-self/io';
const reads = (): number => Number(/syscr: (\d+)/.exec(readFileSync(IO, 'utf8'))![1]);

/** A walk over a table that grows with the run (`f`, `o`: fills and orders in joins). */
const HISTORY_SCAN = /^SCAN (orders|fills|round_trips|equity_hours|daily_volume|events|risk_adjustments|risk_snapshots|exit_events|manual_interventions|f|o)\b/;

interface Build {
  /** Page reads per statement, summed over one build of the document. */
  readonly pages: Map<string, number>;
  /** Query plans of those statements. */
  readonly plans: Map<string, string>;
}

/** Builds a document on an empty page cache, counting the pages each statement reads. */
async function measure(c: Composed, build: () => unknown): Promise<Build> {
  const db = c.store.db;
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
  const pages = new Map<string, number>();
  const params = new Map<string, { source: string; args: unknown[] }>();
  const originals = Object.fromEntries(['get', 'all', 'iterate', 'run'].map((m) => [m, proto[m]!]));
  const probe = reads() - reads(); // reading the counter costs reads too: subtract them
  for (const [m, orig] of Object.entries(originals)) {
    proto[m] = function (this: { source: string }, ...args: unknown[]) {
      const before = reads();
      const r = orig.apply(this, args);
      // iterate() reads as it is consumed; the builders here drain it within the call.
      // The running totals' TEMP tables are named per instance: one name for both builds.
      const sql = this.source.replace(/dnbot_ledger_\d+_/g, 'dnbot_ledger_');
      pages.set(sql, (pages.get(sql) ?? 0) + reads() - before + probe);
      params.set(sql, { source: this.source, args });
      return r;
    };
  }
  try {
    // Built once first: what a document reads once at start (a count to follow) is not its cost per read.
    await build();
    pages.clear();
    params.clear();
    db.pragma('shrink_memory');
    await build();
  } finally {
    Object.assign(proto, originals);
  }
  const plans = new Map<string, string>();
  for (const [sql, { source, args }] of params) {
    if (!/^\s*SELECT/i.test(sql)) continue;
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...(args as never[])) as { detail: string }[];
    plans.set(sql, rows.map((r) => r.detail).join(' | '));
  }
  return { pages, plans };
}

describe.skipIf(!existsSync(IO))('status API reads do not grow with history', () => {
  const raw = { seed: 3, run: { speed: 'max' as const, durationMs: 6 * 3_600_000 } };
  // Both past the windows of the "latest N" reads (50 closed trips, 50 risk recalculations: the
  // run closes about 3 pairs), so that what remains is what grows with history.
  const COPIES = { small: 20, large: 209 } as const;
  const built: Record<'small' | 'large', Record<'status' | 'metrics' | 'health' | 'series', Build>> = {} as never;

  beforeAll(async () => {
    const dir = tempDir();
    const src = join(dir, 'run.db');
    const first = await compose({ config: parseConfig({ ...raw, db: src }), logger: silentLogger, wall: new LiveClock() });
    await first.runtime.run();
    first.store.close();
    // The same latest day and state of now, behind it 21 and 210 times the run's history.
    for (const [name, copies] of Object.entries(COPIES) as ['small' | 'large', number][]) {
      const db = join(dir, `${name}.db`);
      inflateHistory(src, db, copies);
      const config = parseConfig({ ...raw, db });
      const c = await compose({ config, logger: silentLogger, wall: new LiveClock() });
      const h: ApiHandlers = apiHandlers(c, config);
      try {
        built[name] = { status: await measure(c, () => h.status!()), metrics: await measure(c, () => h.metrics!()), health: await measure(c, () => h.health()), series: await measure(c, () => h.series!(new URLSearchParams('points=2000'))) };
      } finally {
        h.close?.();
        c.store.close();
      }
    }
  });

  // /series as the dashboard asks for it (no `from`): its default window, sampled to the points.
  for (const doc of ['status', 'metrics', 'health', 'series'] as const) {
    it(`GET /${doc}: each query reads about the same pages with 10 times the history (b-trees a level deeper at most)`, () => {
      const small = built.small[doc];
      const large = built.large[doc];
      expect([...large.pages.keys()].sort()).toEqual([...small.pages.keys()].sort());
      const grown = [...large.pages]
        .map(([sql, n]) => ({ sql: sql.replace(/\s+/g, ' ').slice(0, 140), small: small.pages.get(sql) ?? 0, large: n }))
        .filter((g) => g.large > g.small + 4);
      expect(grown).toEqual([]);
      const total = (b: Build): number => [...b.pages.values()].reduce((a, n) => a + n, 0);
      expect(total(large)).toBeLessThanOrEqual(total(small) * 1.5);
    });

    it(`GET /${doc}: no query walks a history table without a bound (query plans)`, () => {
      // Reverse scans that stop after LIMIT rows (the latest events, the latest fills) are bounded.
      const unbounded = [...built.large[doc].plans]
        .filter(([sql, plan]) => plan.split(' | ').some((step) => HISTORY_SCAN.test(step)) && !/ORDER BY [\w.]+ DESC LIMIT/i.test(sql))
        .map(([sql, plan]) => `${sql.replace(/\s+/g, ' ').slice(0, 120)} -> ${plan}`);
      expect(unbounded).toEqual([]);
    });
  }
});
