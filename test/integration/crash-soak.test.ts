import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkDatabase, runSoak, SOAK_SCENARIOS } from '../soak/crash-soak.js';
import { runCli, tempDir } from './cli-harness.js';

describe('crash soak (bounded)', () => {
  // About a minute on an idle two-core machine; `npm run soak -- --kills 200` is the long version.
  // Kill timing is wall-clock timing: run alone on an otherwise idle machine, as `.ci/run` does after
  // the suite (DNBOT_SOAK=1), not beside the suite's other workers.
  it.skipIf(process.env['DNBOT_SOAK'] !== '1')('20 SIGKILLs at random moments on two databases: every restart succeeds and the ledger, paper account, timestamps and file stay sound', async () => {
    const report = await runSoak({ kills: 20, seed: 7, maxLifeMs: 600 });
    expect(report.failures).toEqual([]);
    expect(report.kills).toBeGreaterThanOrEqual(18);
  }, 600_000);

  it('its checks catch a broken ledger, paper account, clock or shutdown', async () => {
    const db = join(tempDir(), 'checked.db');
    const r = await runCli(['run', '--speed', 'max', '--duration', '6h', '--seed', '3', '--db', db, '--json', '--log-level', 'silent']);
    expect(r.code, r.err.join('\n')).toBe(0);
    const scenario = SOAK_SCENARIOS[1]!;
    expect(checkDatabase(db, scenario)).toEqual([]);
    const tamper: [string, RegExp][] = [
      ["UPDATE paper_accounts SET collateral = collateral + 0.01", /collateral .* ≠ start/],
      ["UPDATE positions SET size = size + 0.01 WHERE symbol = (SELECT MIN(symbol) FROM positions)", /position .* ledger/],
      ["UPDATE orders SET updated_ts = created_ts - 1000 WHERE rowid = (SELECT MAX(rowid) FROM orders)", /updated before they were created/],
      ["UPDATE orders SET status = 'open' WHERE rowid = (SELECT MAX(rowid) FROM orders)", /non-terminal/],
      ["UPDATE round_trips SET exit_ts = entry_ts - 1 WHERE rowid = (SELECT MIN(rowid) FROM round_trips)", /round trips stamped out of order/],
    ];
    for (const [i, [sql, expected]] of tamper.entries()) {
      const copy = join(tempDir(), `tampered-${i}.db`);
      const src = new Database(db, { readonly: true });
      await src.backup(copy);
      src.close();
      const w = new Database(copy);
      w.exec(sql);
      w.close();
      expect(checkDatabase(copy, scenario).join('\n'), sql).toMatch(expected);
    }
  });
});
