import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import { roundNearest } from '../../../src/core/tick-rounding.js';
import type { Instrument, Position } from '../../../src/core/types.js';
import { ExitManager } from '../../../src/engine/exit-manager.js';
import type { PairExecutor } from '../../../src/engine/pair-executor.js';
import { DEFAULT_EXIT_BRAIN_CONFIG } from '../../../src/exits/exit-config.js';
import { applyLadderAction, effectiveStop, nextLadderAction } from '../../../src/exits/ladder.js';
import type { ExitPlan } from '../../../src/store/exit-plan-repository.js';
import type { RoundTrip } from '../../../src/store/round-trip-repository.js';
import type { Store } from '../../../src/store/store.js';

const LOT = 0.001;
const rt: RoundTrip = {
  id: 'p1', botId: 'b', status: 'open', longSymbol: 'ETH-PERP', shortSymbol: 'SOL-PERP', targetNotional: 1_000,
  entryTs: 0, openTs: 0, exitTs: null, exitReason: null, realizedPnl: null, fees: null, signal: {}, updatedTs: 0,
};

interface Scenario {
  readonly tp1: number;
  readonly gaps: readonly [number, number];
  readonly sl: number;
  readonly levelsHit: 0 | 1 | 2 | 3;
  readonly closedFraction: number;
  /** Per evaluation: the long leg's mark, and what the executor reports. */
  readonly steps: readonly { readonly mark: number | null; readonly reducing: boolean; readonly rebalancing: boolean; readonly busy: boolean; readonly needsReduction: boolean }[];
}

function planOf(s: Scenario): ExitPlan {
  return {
    pairId: rt.id, botId: 'b', status: 'active', longSymbol: rt.longSymbol, shortSymbol: rt.shortSymbol, longSize: 1, shortSize: 20, entryNotional: 1_000, leverage: 3,
    tp1: s.tp1, tp2: s.tp1 + s.gaps[0], tp3: s.tp1 + s.gaps[0] + s.gaps[1], sl: s.sl, harvestScheme: [0.4, 0.3, 0.3], schemeName: 'x', lsf: 0.5, adjustment: 1,
    mode: 'adaptive', fallback: false, inputs: {}, levelsHit: s.levelsHit, closedFraction: s.closedFraction, createdTs: 0, updatedTs: 0,
  };
}

/** Runs the scenario on the real ExitManager (or the reference below) and lists what it did. */
function run(s: Scenario, reference: boolean): string[] {
  const did: string[] = [];
  const clock = new SimClock(0);
  const positions = new Map<string, Position>([
    ['ETH-PERP', { symbol: 'ETH-PERP', size: 1, entryPrice: 1_000, realizedPnl: 0 }],
    ['SOL-PERP', { symbol: 'SOL-PERP', size: -20, entryPrice: 50, realizedPnl: 0 }],
  ]);
  const marks = new Map<string, number>([['SOL-PERP', 50]]);
  let step = s.steps[0]!;
  const executor = {
    get reducing() { return step.reducing; },
    get rebalancing() { return step.rebalancing; },
    busyWithOrders: () => step.busy,
    needsReduction: () => step.needsReduction,
    harvest: (targets: ReadonlyMap<string, number>, resume: boolean, why: string) => did.push(`harvest ${[...targets.values()].join(',')} ${resume} ${why}`),
    exit: (why: string, urgent: boolean) => did.push(`exit ${why} ${urgent}`),
  } as unknown as PairExecutor;
  const store = {
    roundTrips: { recentReturns: () => ({ returns: [], total: 0 }) },
    exitPlans: {
      active: () => [planOf(s)],
      progress: (_id: string, levelsHit: number, closedFraction: number) => did.push(`progress ${levelsHit} ${closedFraction}`),
      record: (e: { kind: string; level: string | null }) => did.push(`event ${e.kind} ${e.level}`),
    },
  } as unknown as Store;
  const inst = { lotSize: LOT } as Instrument;
  const m = new ExitManager({
    botId: 'b', store, clock, logger: silentLogger, config: DEFAULT_EXIT_BRAIN_CONFIG, executor,
    instruments: new Map([['ETH-PERP', inst], ['SOL-PERP', inst]]), positions: () => positions, mark: (sym) => marks.get(sym),
  });
  const ref = reference ? referenceEvaluator(planOf(s), m, executor, did) : null;
  for (const st of s.steps) {
    step = st;
    if (st.mark === null) marks.delete('ETH-PERP');
    else marks.set('ETH-PERP', st.mark);
    if (ref) ref();
    else m.evaluate(rt);
  }
  return did;
}

/** ExitManager.evaluate as it was before its early return: the executor asked first, on every call. */
function referenceEvaluator(initial: ExitPlan, m: ExitManager, executor: PairExecutor, did: string[]): () => void {
  let plan = initial;
  let checked: ExitPlan | null = null;
  const targets = (cf: number): Map<string, number> => new Map([['ETH-PERP', roundNearest(plan.longSize * Math.max(0, 1 - cf), LOT)], ['SOL-PERP', roundNearest(plan.shortSize * Math.max(0, 1 - cf), LOT)]]);
  return () => {
    const busy = executor.reducing || executor.busyWithOrders();
    if (busy && !executor.rebalancing) return;
    const ret = m.pairReturn(plan);
    const stop = effectiveStop(plan, plan);
    const stopHit = ret !== null && ret <= stop && plan.closedFraction < 1;
    if (busy && !stopHit) return;
    if (!stopHit && plan.closedFraction > 0) {
      const t = targets(plan.closedFraction);
      if (executor.needsReduction(t)) {
        executor.harvest(t, true, `resume tp${plan.levelsHit}`);
        return;
      }
    }
    if (ret === null) return;
    const next = plan.levelsHit === 3 ? Number.POSITIVE_INFINITY : plan[(['tp1', 'tp2', 'tp3'] as const)[plan.levelsHit]];
    if (plan === checked && ret > stop && ret < next) return;
    const state = { levelsHit: plan.levelsHit, closedFraction: plan.closedFraction };
    const action = nextLadderAction({ ...plan, harvestScheme: { fractions: plan.harvestScheme } }, state, ret);
    if (!action) {
      checked = plan;
      return;
    }
    const after = applyLadderAction(state, action);
    did.push(`progress ${after.levelsHit} ${after.closedFraction}`);
    const before = plan;
    plan = { ...plan, levelsHit: after.levelsHit, closedFraction: after.closedFraction };
    if (action.kind === 'stop') {
      did.push('event stop null');
      executor.exit(before.levelsHit >= 1 ? 'stop_after_tp' : 'stop_loss', true);
      return;
    }
    did.push(`event level_hit ${action.level}`);
    if (after.closedFraction >= 1 - 1e-9) executor.exit(action.level, false);
    else executor.harvest(targets(after.closedFraction), false, action.level);
  };
}

describe('ExitManager.evaluate', () => {
  it('does what the full evaluation does, executor asked or not (property)', () => {
    const scenario: fc.Arbitrary<Scenario> = fc
      .record({
        tp1: fc.double({ min: 0.001, max: 0.02, noNaN: true }),
        gaps: fc.tuple(fc.double({ min: 0.001, max: 0.02, noNaN: true }), fc.double({ min: 0.001, max: 0.02, noNaN: true })),
        sl: fc.double({ min: 0.001, max: 0.02, noNaN: true }),
        levelsHit: fc.constantFrom(0, 0, 1, 2, 3) as fc.Arbitrary<0 | 1 | 2 | 3>,
        closedFraction: fc.constantFrom(0, 0, 0, 0.4, 0.7, 1),
        steps: fc.array(
          fc.record({
            // The long leg's mark around its entry: returns of about ±5% on one leg's notional.
            mark: fc.option(fc.double({ min: 950, max: 1_050, noNaN: true }), { nil: null, freq: 10 }),
            reducing: fc.boolean(),
            rebalancing: fc.boolean(),
            busy: fc.boolean(),
            needsReduction: fc.boolean(),
          }),
          { minLength: 1, maxLength: 30 },
        ),
      });
    fc.assert(
      fc.property(scenario, (s) => {
        expect(run(s, false)).toEqual(run(s, true));
      }),
      { numRuns: 1_000 },
    );
  });

  it('fires the stop at exactly −sl, after a checked calm', () => {
    const calm = { mark: 1_001, reducing: false, rebalancing: false, busy: false, needsReduction: false };
    const s: Scenario = { tp1: 0.01, gaps: [0.01, 0.01], sl: 0.01, levelsHit: 0, closedFraction: 0, steps: [calm, { ...calm, mark: 990 }] };
    expect(run(s, false)).toEqual(['progress 0 1', 'event stop null', 'exit stop_loss true']);
    expect(run(s, true)).toEqual(run(s, false));
  });

  it('does not ask the executor while nothing is in reach', () => {
    const s: Scenario = { tp1: 0.01, gaps: [0.01, 0.01], sl: 0.01, levelsHit: 0, closedFraction: 0, steps: [] };
    let asked = 0;
    const calm = { mark: 1_001, reducing: false, rebalancing: false, busy: false, needsReduction: false };
    const did = run({ ...s, steps: [calm, calm, calm] }, false);
    expect(did).toEqual([]);
    // The first call checks the plan against the ladder; the next ones return before the executor.
    const probe = { ...calm, get busy() { asked++; return false; } };
    run({ ...s, steps: [probe, probe, probe] }, false);
    expect(asked).toBe(1);
  });

  it("looks a row's plan up again once the plan is created, progresses or closes", () => {
    const positions = new Map<string, Position>([
      ['ETH-PERP', { symbol: 'ETH-PERP', size: 1, entryPrice: 1_000, realizedPnl: 0 }],
      ['SOL-PERP', { symbol: 'SOL-PERP', size: -20, entryPrice: 50, realizedPnl: 0 }],
    ]);
    const marks = new Map<string, number>([['ETH-PERP', 1_000], ['SOL-PERP', 50]]);
    const did: string[] = [];
    const executor = {
      reducing: false, rebalancing: false, busyWithOrders: () => false, needsReduction: () => false,
      harvest: (_t: unknown, _r: boolean, why: string) => did.push(`harvest ${why}`),
      exit: (why: string) => did.push(`exit ${why}`),
    } as unknown as PairExecutor;
    const store = {
      roundTrips: { recentReturns: () => ({ returns: [], total: 0 }) },
      exitPlans: { active: () => [], create: () => undefined, progress: (_id: string, levelsHit: number) => did.push(`progress ${levelsHit}`), record: () => undefined, close: () => undefined },
    } as unknown as Store;
    const inst = { lotSize: LOT } as Instrument;
    const m = new ExitManager({
      botId: 'b', store, clock: new SimClock(0), logger: silentLogger, config: DEFAULT_EXIT_BRAIN_CONFIG, executor,
      instruments: new Map([['ETH-PERP', inst], ['SOL-PERP', inst]]), positions: () => positions, mark: (sym) => marks.get(sym),
    });
    // The same row object throughout, as on consecutive books of an open pair.
    expect(m.hasPlan(rt)).toBe(false);
    m.evaluate(rt);
    const plan = m.onPairOpened(rt, 3, 1)!;
    expect(m.hasPlan(rt)).toBe(true);
    // Past TP1: the level fires once, then the progressed plan (not the first) is evaluated.
    marks.set('ETH-PERP', 1_000 + 1_000 * plan.tp1 + 1);
    m.evaluate(rt);
    m.evaluate(rt);
    expect(did.filter((d) => d.startsWith('progress'))).toEqual(['progress 1']);
    m.onPairClosed({ ...rt, status: 'closed' });
    expect(m.hasPlan(rt)).toBe(false);
  });

  it("keeps a plan's legs while the positions revision stays: the pair's return equals a fresh look-up after every fill and mark (property)", () => {
    const size = fc.oneof(fc.constant(0), fc.double({ min: -50, max: 50, noNaN: true }));
    const step = fc.oneof(
      fc.record({ kind: fc.constant('fill' as const), symbol: fc.constantFrom('ETH-PERP', 'SOL-PERP'), size, entry: fc.double({ min: 1, max: 2_000, noNaN: true }) }),
      fc.record({ kind: fc.constant('mark' as const), symbol: fc.constantFrom('ETH-PERP', 'SOL-PERP'), price: fc.option(fc.double({ min: 1, max: 2_000, noNaN: true }), { nil: undefined, freq: 8 }) }),
      fc.record({ kind: fc.constant('plan' as const), which: fc.constantFrom(0, 1) }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const positions = new Map<string, Position>();
        const marks = new Map<string, number>();
        let revision = 0;
        const store = { roundTrips: { recentReturns: () => ({ returns: [], total: 0 }) }, exitPlans: { active: () => [] } } as unknown as Store;
        const opts = {
          botId: 'b', store, clock: new SimClock(0), logger: silentLogger, config: DEFAULT_EXIT_BRAIN_CONFIG, executor: {} as PairExecutor,
          instruments: new Map<string, Instrument>(), positions: () => positions, mark: (sym: string) => marks.get(sym),
        };
        const kept = new ExitManager({ ...opts, positionsRevision: () => revision });
        const fresh = new ExitManager(opts);
        const base = planOf({ tp1: 0.01, gaps: [0.01, 0.01], sl: 0.01, levelsHit: 0, closedFraction: 0, steps: [] });
        // Another plan (here of the legs the other way round) has its legs looked up again.
        const plans = [base, { ...base, pairId: 'p2', longSymbol: rt.shortSymbol, shortSymbol: rt.longSymbol }];
        let plan = plans[0]!;
        for (const st of steps) {
          if (st.kind === 'fill') {
            positions.set(st.symbol, { symbol: st.symbol, size: st.size, entryPrice: st.entry, realizedPnl: 0 });
            revision++;
          } else if (st.kind === 'mark') {
            if (st.price === undefined) marks.delete(st.symbol);
            else marks.set(st.symbol, st.price);
          } else plan = plans[st.which]!;
          expect(kept.pairReturn(plan)).toBe(fresh.pairReturn(plan));
        }
      }),
    );
  });
});
