import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/core/errors.js';
import { DEFAULT_PHASE_BREACH_CONFIG, detectBreach, phaseBreachConfigSchema } from '../../../src/sizing/phase-breach.js';
import { errorCode } from '../error-code.js';

const trips = (...runs: Array<[count: number, pnl: number]>): { pnl: number }[] =>
  runs.flatMap(([count, pnl]) => Array.from({ length: count }, () => ({ pnl })));

describe('detectBreach (automatic one-phase rollback, ruling 7)', () => {
  it('defaults: the last 50 round trips, at least 20, floor 90% with PnL ≥ 0', () => {
    expect(DEFAULT_PHASE_BREACH_CONFIG).toEqual({ window: 50, minRoundTrips: 20, minNonNegativeShare: 0.9 });
  });

  it('a tripped loss limit is a breach and rolls back one phase', () => {
    const r = detectBreach({ phase: 3, roundTrips: trips([50, 1]), lossLimitTripped: true });
    expect(r).toEqual({ breached: true, reasons: [{ kind: 'loss_limit' }], rollbackTo: 2 });
  });

  it('the share of non-negative round trips falling below the floor is a breach', () => {
    const r = detectBreach({ phase: 2, roundTrips: trips([44, 1], [6, -1]), lossLimitTripped: false });
    expect(r.breached).toBe(true);
    expect(r.rollbackTo).toBe(1);
    expect(r.reasons).toEqual([{ kind: 'non_negative_share', actual: 0.88, floor: 0.9, roundTrips: 50 }]);
  });

  it('exactly at the floor is not a breach; break-even trips count as non-negative', () => {
    expect(detectBreach({ phase: 2, roundTrips: trips([40, 0], [5, 2], [5, -1]), lossLimitTripped: false }).breached).toBe(false);
  });

  it('only the trailing window counts', () => {
    expect(detectBreach({ phase: 2, roundTrips: trips([100, -1], [50, 1]), lossLimitTripped: false }).breached).toBe(false);
    expect(detectBreach({ phase: 2, roundTrips: trips([100, 1], [10, -1]), lossLimitTripped: false }).breached).toBe(true);
  });

  it('too few round trips to judge: no share breach', () => {
    expect(detectBreach({ phase: 2, roundTrips: trips([19, -1]), lossLimitTripped: false }).breached).toBe(false);
    expect(detectBreach({ phase: 2, roundTrips: trips([20, -1]), lossLimitTripped: false }).breached).toBe(true);
  });

  it('phase 1 reports the breach with nowhere to roll back to', () => {
    expect(detectBreach({ phase: 1, roundTrips: [], lossLimitTripped: true })).toEqual({
      breached: true,
      reasons: [{ kind: 'loss_limit' }],
      rollbackTo: null,
    });
  });

  it('lists both reasons when both hold', () => {
    const r = detectBreach({ phase: 4, roundTrips: trips([30, -1]), lossLimitTripped: true });
    expect(r.reasons.map((x) => x.kind)).toEqual(['loss_limit', 'non_negative_share']);
    expect(r.rollbackTo).toBe(3);
  });

  it('is configurable; the schema keeps minRoundTrips ≤ window', () => {
    const config = phaseBreachConfigSchema.parse({ window: 10, minRoundTrips: 5, minNonNegativeShare: 0.5 });
    expect(detectBreach({ phase: 2, roundTrips: trips([5, 1], [5, -1]), lossLimitTripped: false }, config).breached).toBe(false);
    expect(detectBreach({ phase: 2, roundTrips: trips([4, 1], [6, -1]), lossLimitTripped: false }, config).breached).toBe(true);
    expect(phaseBreachConfigSchema.safeParse({ window: 10, minRoundTrips: 11 }).success).toBe(false);
  });

  it('breached ⇔ a reason; rollback is one phase down or none (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 3, 4), fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { maxLength: 120 }), fc.boolean(), (phase, pnls, lossLimitTripped) => {
        const r = detectBreach({ phase, roundTrips: pnls.map((pnl) => ({ pnl })), lossLimitTripped });
        expect(r.breached).toBe(r.reasons.length > 0);
        expect(r.rollbackTo).toBe(r.breached && phase > 1 ? phase - 1 : null);
        if (lossLimitTripped) expect(r.breached).toBe(true);
      }),
    );
  });

  it.each([
    ['an unknown phase', { phase: 0, roundTrips: [], lossLimitTripped: false }],
    ['a NaN PnL', { phase: 2, roundTrips: [{ pnl: Number.NaN }], lossLimitTripped: false }],
  ])('%s throws E_INPUT_INVALID', (_name, input) => {
    expect(errorCode(() => detectBreach(input))).toBe(ErrorCodes.INPUT_INVALID);
  });
});
