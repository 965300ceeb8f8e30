import { describe, expect, it } from 'vitest';
import { sizePair, type PairSizing } from '../../../src/sizing/sizing-pipeline.js';
import { isOnGrid } from '../../../src/core/tick-rounding.js';
import { leg, pairInput } from './sizing-fixtures.js';

function expectOk(r: PairSizing): Extract<PairSizing, { ok: true }> {
  if (!r.ok) throw new Error(`expected ok, got: ${r.reason}`);
  return r;
}

function expectRefused(r: PairSizing): Extract<PairSizing, { ok: false }> {
  if (r.ok) throw new Error('expected a refusal');
  expect(r.reason.length).toBeGreaterThan(0);
  return r;
}

describe('sizePair', () => {
  it('sizes both legs to matched notional when nothing caps the base', () => {
    const r = expectOk(sizePair(pairInput({ baseNotional: 600 })));
    expect(r.notional).toBe(600);
    expect(r.long.size).toBe(0.2); // 600 / 3000
    expect(r.short.size).toBe(4); // 600 / 150
    expect(r.long.notional).toBeCloseTo(600, 9);
    expect(r.short.notional).toBeCloseTo(600, 9);
  });

  it("caps each leg at seed 003's per-leg limit: $2,000 × 10 × 0.8 / 2 = $8,000", () => {
    const r = expectOk(sizePair(pairInput({ baseNotional: 50_000 })));
    expect(r.notional).toBe(8_000);
    expect(r.long.notional).toBeLessThanOrEqual(8_000);
    expect(r.short.notional).toBeLessThanOrEqual(8_000);
    expect(r.long.size).toBeCloseTo(2.666, 9); // 8000/3000 rounded down to 0.001
    expect(r.short.size).toBeCloseTo(53.33, 9); // 8000/150 rounded down to 0.01
  });

  it('counts notional already held on a symbol against that leg', () => {
    const r = expectOk(sizePair(pairInput({ baseNotional: 50_000, short: { ...pairInput().short, existingNotional: 7_000 } })));
    expect(r.notional).toBe(1_000);
  });

  it('refuses when a leg has no room left', () => {
    const r = expectRefused(sizePair(pairInput({ long: leg('ETH-PERP', 3000, { existingNotional: 8_000 }) })));
    expect(r.trace.some((s) => s.step === 'min_check' && s.output === 0)).toBe(true);
  });

  it('caps at the depth within max slippage of the thinner leg', () => {
    const thin = leg('ETH-PERP', 3000, {
      takeLevels: [
        { price: 3000, size: 0.1 },
        { price: 3002, size: 0.1 }, // 6.7 bps away: inside 10 bps
        { price: 3010, size: 100 }, // 33 bps away: outside
      ],
    });
    const r = expectOk(sizePair(pairInput({ baseNotional: 5_000, long: thin })));
    expect(r.notional).toBeCloseTo(300 + 300.2, 9);
  });

  it('refuses when the book is empty', () => {
    expectRefused(sizePair(pairInput({ short: { ...pairInput().short, takeLevels: [] } })));
  });

  it('refuses below the minimum notional or size, naming the symbol', () => {
    const lowNotional = expectRefused(sizePair(pairInput({ baseNotional: 9 })));
    expect(lowNotional.reason).toContain('ETH-PERP');
    const bigMin = expectRefused(sizePair(pairInput({ short: leg('SOL-PERP', 150, {}, { lotSize: 0.01, minSize: 10 }) })));
    expect(bigMin.reason).toContain('SOL-PERP');
  });

  it('rounds sizes down to exact lot multiples', () => {
    const r = expectOk(sizePair(pairInput({ baseNotional: 777.77 })));
    expect(isOnGrid(r.long.size, 0.001)).toBe(true);
    expect(isOnGrid(r.short.size, 0.01)).toBe(true);
    expect(r.long.size * 3000).toBeLessThanOrEqual(777.77);
    expect(r.short.size * 150).toBeLessThanOrEqual(777.77);
  });

  it('rounds down, not up, a fraction of a lot below a lot boundary at the cap', () => {
    // Per-leg cap = 0.2999999 (collateral 0.5999998 × 1× × 1 / 2); lot 0.1, price 1.
    const tiny = { lotSize: 0.1, minSize: 0.1, minNotional: 0 };
    const r = expectOk(
      sizePair(
        pairInput({
          baseNotional: 100,
          collateral: 0.5999998,
          maxLeverage: 1,
          safetyFactor: 1,
          long: leg('A-PERP', 1, {}, tiny),
          short: leg('B-PERP', 1, {}, tiny),
        }),
      ),
    );
    expect(r.long.size).toBe(0.2);
    expect(r.long.notional).toBeLessThanOrEqual(0.2999999);
  });

  it.each([
    ['NaN base notional', { baseNotional: Number.NaN }],
    ['infinite base notional', { baseNotional: Number.POSITIVE_INFINITY }],
    ['zero base notional', { baseNotional: 0 }],
    ['negative base notional', { baseNotional: -500 }],
    ['NaN collateral', { collateral: Number.NaN }],
    ['zero collateral', { collateral: 0 }],
    ['negative collateral', { collateral: -2000 }],
    ['NaN leverage', { maxLeverage: Number.NaN }],
    ['NaN safety factor', { safetyFactor: Number.NaN }],
    ['zero long price', { long: leg('ETH-PERP', 0) }],
    ['NaN short price', { short: leg('SOL-PERP', Number.NaN) }],
    ['negative long price', { long: leg('ETH-PERP', -3000) }],
    ['infinite short price', { short: leg('SOL-PERP', Number.POSITIVE_INFINITY) }],
  ])('refuses %s instead of producing a non-finite order', (_name, over) => {
    expectRefused(sizePair(pairInput(over)));
  });

  it('records every step in the trace, in pipeline order', () => {
    const r = expectOk(sizePair(pairInput({ baseNotional: 50_000 })));
    expect(r.trace.map((s) => s.step)).toEqual(['base', 'leverage_cap_long', 'leverage_cap_short', 'depth_cap_long', 'depth_cap_short']);
    expect(r.trace[1]).toMatchObject({ input: 50_000, output: 8_000 });
    expect(r.long.trace.map((s) => s.step).slice(-2)).toEqual(['lot_round', 'min_check']);
    for (const s of r.trace) expect(s.output).toBeLessThanOrEqual(s.input);
  });

  it('applies scales after the base and caller caps after the leverage cap, before depth (ruling 4)', () => {
    const r = expectOk(
      sizePair(
        pairInput({
          baseNotional: 1_000,
          baseReason: 'progressive: phase 1',
          scales: [
            { step: 'risk_multiplier', factor: 1.5, reason: 'seed 000' },
            { step: 'volatility', factor: 0.5, reason: 'ruling 4' },
          ],
          caps: [
            { step: 'allocation_tier', long: 900, short: 700, reason: 'tier' },
            { step: 'risk_limits', long: 5_000, short: 5_000, reason: 'limits' },
          ],
        }),
      ),
    );
    expect(r.trace.map((s) => [s.step, s.output])).toEqual([
      ['base', 1_000],
      ['risk_multiplier', 1_500],
      ['volatility', 750],
      ['leverage_cap_long', 750],
      ['leverage_cap_short', 750],
      ['allocation_tier', 700],
      ['risk_limits', 700],
      ['depth_cap_long', 700],
      ['depth_cap_short', 700],
    ]);
    expect(r.trace[0]!.reason).toBe('progressive: phase 1');
    expect(r.notional).toBe(700);
  });

  it('refuses a NaN or non-positive scale instead of sizing with it', () => {
    for (const factor of [Number.NaN, 0, -1, Number.POSITIVE_INFINITY]) {
      const r = sizePair(pairInput({ scales: [{ step: 'risk_multiplier', factor, reason: 'bad' }] }));
      expect(r.ok).toBe(false);
    }
  });
});
