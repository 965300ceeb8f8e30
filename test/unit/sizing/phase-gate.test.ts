import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/core/errors.js';
import { evaluatePhaseGate, type PhaseGateInput } from '../../../src/sizing/phase-gate.js';
import { phasesSchema } from '../../../src/sizing/phases.js';
import { errorCode } from '../error-code.js';

const trips = (nonNegative: number, losing: number): { pnl: number }[] => [
  ...Array.from({ length: nonNegative }, (_, k) => ({ pnl: k % 5 === 0 ? 0 : 1.6 })), // a break-even trip counts as PnL ≥ 0
  ...Array.from({ length: losing }, () => ({ pnl: -0.5 })),
];

/** A phase 1 window that meets every seed criterion: 28 days at $20k+ and $25/day, 600 trips, 97% ≥ 0. */
const passing: PhaseGateInput = {
  phase: 1,
  roundTrips: trips(582, 18),
  dailyVolumes: Array.from({ length: 28 }, (_, k) => 20_000 + k),
  dailyPnls: Array.from({ length: 28 }, () => 25),
  manualInterventions: 0,
};

const criterion = (r: ReturnType<typeof evaluatePhaseGate>, name: string) => r.criteria.find((c) => c.name === name);

describe("evaluatePhaseGate (seed 003's success criteria, ruling 7)", () => {
  it('opens when every criterion is met, pointing at the next phase', () => {
    const r = evaluatePhaseGate(passing);
    expect(r.ready).toBe(true);
    expect(r.phase).toBe(1);
    expect(r.nextPhase).toBe(2);
    expect(r.criteria.map((c) => c.name)).toEqual(['days', 'round_trips', 'non_negative_pnl_share', 'daily_volume', 'manual_interventions', 'daily_profit']);
    expect(r.criteria.every((c) => c.met)).toBe(true);
    expect(criterion(r, 'non_negative_pnl_share')).toMatchObject({ actual: 0.97, required: 0.95, comparison: '>=' });
    // The mean of the complete days (20,000 … 20,027), not the lowest day.
    expect(criterion(r, 'daily_volume')).toMatchObject({ actual: 20_013.5, required: 20_000 });
    expect(criterion(r, 'manual_interventions')).toMatchObject({ actual: 0, required: 0, comparison: '<=' });
    expect(criterion(r, 'daily_profit')).toMatchObject({ actual: 25, required: 20 });
  });

  it.each([
    ['days', { dailyVolumes: passing.dailyVolumes.slice(1), dailyPnls: passing.dailyPnls.slice(1) }, 27],
    ['round_trips', { roundTrips: trips(99, 0) }, 99],
    ['non_negative_pnl_share', { roundTrips: trips(564, 36) }, 0.94],
    ['daily_volume', { dailyVolumes: passing.dailyVolumes.map(() => 19_999) }, 19_999],
    // A day without fills is a day at 0: it pulls the mean below the target.
    ['daily_volume', { dailyVolumes: passing.dailyVolumes.map((v, k) => (k === 5 ? 0 : v)) }, (28 * 20_013.5 - 20_005) / 28],
    ['manual_interventions', { manualInterventions: 1 }, 1],
    ['daily_profit', { dailyPnls: passing.dailyPnls.map(() => 19.5) }, 19.5],
  ])('stays shut when %s fails', (name, change, actual) => {
    const r = evaluatePhaseGate({ ...passing, ...change });
    expect(r.ready).toBe(false);
    expect(criterion(r, name)).toMatchObject({ met: false });
    expect(criterion(r, name)?.actual).toBeCloseTo(actual, 12);
    expect(r.criteria.filter((c) => !c.met).map((c) => c.name)).toEqual([name]);
  });

  it('counts the days the phase lived (its partial first day too), judging volume on the complete days only', () => {
    const r = evaluatePhaseGate({ ...passing, days: 28, dailyVolumes: passing.dailyVolumes.slice(1), dailyPnls: passing.dailyPnls.slice(1) });
    expect(criterion(r, 'days')).toMatchObject({ actual: 28, met: true });
    expect(r.ready).toBe(true);
  });

  it('one partial or low day does not stand for the window: a single 10k day among 20k+ days passes', () => {
    const r = evaluatePhaseGate({ ...passing, dailyVolumes: passing.dailyVolumes.map((v, k) => (k === 27 ? v + 10_000 : k === 0 ? 10_000 : v)) });
    expect(criterion(r, 'daily_volume')?.met).toBe(true);
  });

  it('exactly 95% non-negative passes; the profit range top is not a ceiling', () => {
    expect(evaluatePhaseGate({ ...passing, roundTrips: trips(570, 30) }).ready).toBe(true);
    expect(evaluatePhaseGate({ ...passing, dailyPnls: passing.dailyPnls.map(() => 80) }).ready).toBe(true);
  });

  it('an empty window meets nothing it needs data for', () => {
    const r = evaluatePhaseGate({ phase: 2, roundTrips: [], dailyVolumes: [], dailyPnls: [], manualInterventions: 0 });
    expect(r.ready).toBe(false);
    expect(r.criteria.filter((c) => c.met).map((c) => c.name)).toEqual(['manual_interventions']);
  });

  it('phase 4 has nothing to promote to', () => {
    const r = evaluatePhaseGate({
      phase: 4,
      roundTrips: trips(1_000, 0),
      dailyVolumes: Array.from({ length: 180 }, () => 1_000_000),
      dailyPnls: Array.from({ length: 180 }, () => 2_120),
      manualInterventions: 0,
    });
    expect(r.criteria.every((c) => c.met)).toBe(true);
    expect(r.nextPhase).toBeNull();
    expect(r.ready).toBe(false);
  });

  it("uses the phase's own target and the configured criteria", () => {
    expect(evaluatePhaseGate({ ...passing, phase: 2 }).ready).toBe(false); // $20k < $100k, 28 < 60 days
    const phases = phasesSchema.parse({ 1: { successCriteria: { minDays: 7, maxManualInterventions: 2 } } });
    expect(evaluatePhaseGate({ ...passing, manualInterventions: 2 }, phases).ready).toBe(true);
  });

  it('ready ⇔ every criterion met, and a next phase exists (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3, 4),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { maxLength: 300 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 2e6, noNaN: true }), fc.double({ min: -5e3, max: 5e3, noNaN: true })), { maxLength: 200 }),
        fc.nat(3),
        (phase, pnls, days, manualInterventions) => {
          const r = evaluatePhaseGate({
            phase,
            roundTrips: pnls.map((pnl) => ({ pnl })),
            dailyVolumes: days.map(([v]) => v),
            dailyPnls: days.map(([, p]) => p),
            manualInterventions,
          });
          expect(r.ready).toBe(phase < 4 && r.criteria.every((c) => c.met));
          for (const c of r.criteria) expect(Number.isFinite(c.actual)).toBe(true);
        },
      ),
    );
  });

  it.each([
    ['an unknown phase', { ...passing, phase: 7 }],
    ['a NaN round-trip PnL', { ...passing, roundTrips: [{ pnl: Number.NaN }] }],
    ['a negative daily volume', { ...passing, dailyVolumes: passing.dailyVolumes.map((v, k) => (k === 0 ? -1 : v)) }],
    ['misaligned daily arrays', { ...passing, dailyPnls: passing.dailyPnls.slice(1) }],
    ['a negative intervention count', { ...passing, manualInterventions: -1 }],
  ])('%s throws E_INPUT_INVALID', (_name, input) => {
    expect(errorCode(() => evaluatePhaseGate(input))).toBe(ErrorCodes.INPUT_INVALID);
  });
});
