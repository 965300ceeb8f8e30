import { describe, expect, it } from 'vitest';
import { exitPlan, type ExitPlan } from '../../../src/store/exit-plan-repository.js';
import { roundTrip, type RoundTrip } from '../../../src/store/round-trip-repository.js';
import { Store } from '../../../src/store/store.js';

// A round trip and an exit plan are each built in one function (one hidden class for V8; see
// roundTrip and exitPlan). What must hold: the copy is the record, every field and nothing else, in
// the interface's order, whether made in the engine or read back from SQLite.

const rt: RoundTrip = {
  id: 'b-rt1',
  botId: 'b',
  status: 'closed',
  longSymbol: 'ETH-PERP',
  shortSymbol: 'SOL-PERP',
  targetNotional: 512.5,
  entryTs: 1_000,
  openTs: 2_000,
  exitTs: 3_000,
  exitReason: 'tp3',
  realizedPnl: -1.25,
  fees: 0.5,
  signal: { z: 2.1, confidence: 0.7 },
  updatedTs: 3_000,
};

const plan: ExitPlan = {
  pairId: 'b-rt1',
  botId: 'b',
  status: 'active',
  longSymbol: 'ETH-PERP',
  shortSymbol: 'SOL-PERP',
  longSize: 0.17,
  shortSize: 3.4,
  entryNotional: 510.2,
  leverage: 3,
  tp1: 0.004,
  tp2: 0.008,
  tp3: 0.012,
  sl: 0.006,
  harvestScheme: [0.3, 0.3, 0.4],
  schemeName: 'balanced',
  lsf: 1.1,
  adjustment: 0.95,
  mode: 'dynamic',
  fallback: false,
  inputs: { leverage: 3, confidence: 0.7 },
  levelsHit: 1,
  closedFraction: 0.3,
  createdTs: 2_000,
  updatedTs: 2_500,
};

describe('round trips and exit plans built in one place', () => {
  it('roundTrip copies every field, in order, and nothing more', () => {
    const copy = roundTrip({ ...rt, extra: 1 } as RoundTrip);
    expect(copy).not.toBe(rt);
    expect(copy).toStrictEqual(rt);
    expect(Object.keys(copy)).toStrictEqual(Object.keys(rt));
  });

  it('exitPlan copies every field, in order, and nothing more', () => {
    const copy = exitPlan({ ...plan, extra: 1 } as ExitPlan);
    expect(copy).not.toBe(plan);
    expect(copy).toStrictEqual(plan);
    expect(Object.keys(copy)).toStrictEqual(Object.keys(plan));
  });

  it('a round trip and a plan read back from SQLite have the same fields, in the same order', () => {
    const store = Store.open(':memory:');
    try {
      store.bots.ensure('b', 'dn-pair', 'sim', 0);
      store.roundTrips.save(rt);
      const [back] = store.roundTrips.closed('b');
      expect(Object.keys(back!)).toStrictEqual(Object.keys(rt));
      expect(back).toStrictEqual(rt);
      store.exitPlans.create(plan);
      const [active] = store.exitPlans.active('b');
      expect(Object.keys(active!)).toStrictEqual(Object.keys(plan));
      expect(active).toStrictEqual(plan);
    } finally {
      store.close();
    }
  });
});
