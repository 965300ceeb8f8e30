import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/cli-io.js';
import { breakerCommand, phaseCommand, setHalt, type ControlContext } from '../../../src/cli/control-commands.js';
import { collectStatus } from '../../../src/cli/status-command.js';
import { phaseGateFor } from '../../../src/engine/phase-gate-reader.js';
import { DEFAULT_PHASES } from '../../../src/sizing/phases.js';
import { Store } from '../../../src/store/store.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 1, 1);

function io(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (l) => lines.push(l), err: (l) => lines.push(l), stdoutIsTty: false, stderrIsTty: false };
}

/** A sim bot in phase 1 since 10:00 on day 0, with fills on days 0, 1 and 3 (none on day 2), judged on day 4. */
function seeded(): { store: Store; now: number } {
  const store = Store.open(':memory:');
  store.bots.ensure('b', 'dn-pair', 'sim', T0);
  store.phases.ensure('b', 2_000, T0 + 10 * 3_600_000);
  store.dailyVolume.addFill('b', '2026-02-01', 4_000, 0.4, 0);
  store.dailyVolume.addFill('b', '2026-02-02', 21_000, 2, 30);
  store.dailyVolume.addFill('b', '2026-02-04', 22_000, 2, 25);
  store.dailyVolume.addFill('b', '2026-02-05', 3_000, 0.3, 1);
  const now = T0 + 4 * DAY + 3_600_000;
  store.bots.setLastMarketTs('b', now);
  return { store, now };
}

const ctx = (store: Store, out: CliIo): ControlContext => ({ store, io: out, now: Date.UTC(2030, 0, 1), phases: DEFAULT_PHASES });

describe('one phase-gate evaluation for every surface', () => {
  it('counts the phase’s first day and the day without fills; volume is the mean of the complete days', () => {
    const { store, now } = seeded();
    const g = phaseGateFor(store, 'b', DEFAULT_PHASES, now);
    const c = Object.fromEntries(g.criteria.map((k) => [k.name, k]));
    expect(c['days']!.actual).toBe(4); // Feb 1 (partial) … Feb 4; Feb 5 is today
    expect(g.completeDays).toEqual(['2026-02-02', '2026-02-03', '2026-02-04']);
    expect(c['daily_volume']!.actual).toBeCloseTo((21_000 + 0 + 22_000) / 3, 9);
    expect(c['daily_profit']!.actual).toBeCloseTo((28 + 0 + 23) / 3, 9);
    store.close();
  });

  it('`dnbot status` and `dnbot phase status` show the same gate', () => {
    const { store } = seeded();
    const status = collectStatus(store, { phases: DEFAULT_PHASES, now: Date.UTC(2030, 0, 1) });
    const shown = status[0]!.execution.phaseCriteria!.gate;
    const out = io();
    phaseCommand(ctx(store, out), 'status', 'b', {});
    for (const k of shown) {
      const line = out.lines.find((l) => /^\s+[✓✗] /.test(l) && l.includes(` ${k.name} `));
      expect(line, k.name).toBeDefined();
      expect(line).toContain(String(Number(k.actual.toFixed(4))));
    }
    expect(shown.find((k) => k.name === 'days')!.actual).toBe(4);
    store.close();
  });
});

describe('manual interventions count only actions that changed something', () => {
  it('a repeated halt, a resume of a running bot and a reset of no breaker are not counted', () => {
    const { store } = seeded();
    const out = io();
    const c = ctx(store, out);
    setHalt(c, 'b', false, 'nothing to resume');
    setHalt(c, 'b', true, 'maintenance');
    setHalt(c, 'b', true, 'maintenance again');
    breakerCommand(c, 'reset', 'b');
    setHalt(c, 'b', false, '');
    setHalt(c, 'b', false, '');
    expect(store.controls.interventionsSince('b', 0)).toBe(2);
    expect(store.controls.interventions('b').map((i) => i.action)).toEqual(['resume', 'halt']);
    expect(out.lines.filter((l) => l.includes('nothing'))).toHaveLength(4);
    store.close();
  });

  it('no-ops already in an older journal are not counted either', () => {
    const { store } = seeded();
    for (const [action, detail] of [
      ['halt', {}],
      ['halt', {}],
      ['breaker_reset', { count: 0 }],
      ['breaker_reset', { count: 2 }],
      ['resume', {}],
      ['resume', {}],
    ] as const) {
      store.controls.recordIntervention({ botId: 'b', ts: T0 + DAY, action, detail });
    }
    expect(store.controls.interventionsSince('b', 0)).toBe(3);
    expect(store.controls.interventionsSince('b', 0, T0 + DAY)).toBe(0);
    store.close();
  });
});
