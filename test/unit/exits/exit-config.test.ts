import { describe, expect, it } from 'vitest';
import { exitBrainConfigSchema } from '../../../src/exits/exit-config.js';

describe('exitBrainConfigSchema', () => {
  it('parses {} to the seed 004 values', () => {
    expect(exitBrainConfigSchema.parse({})).toEqual({
      enabled: true,
      baseTp: 0.01,
      baseSl: 0.005,
      staticLevels: { tp1: 0.01, tp2: 0.015, tp3: 0.02, sl: 0.005 },
      pnlWindow: 20,
      slMin: 0.001,
      slMax: 0.02,
      liquidationShare: 0.8,
      pnlAdjustment: {
        lossFactor: 0.9,
        profitThreshold: 0.3,
        profitFactor: 1.1,
        lowConfidence: 0.5,
        lowConfidenceFactor: 0.95,
        min: 0.8,
        max: 1.2,
      },
      harvest: {
        conservativeMaxLeverage: 10,
        aggressiveMaxLeverage: 30,
        conservative: [0.3, 0.3, 0.4],
        aggressive: [0.4, 0.4, 0.2],
        ultraAggressive: [0.5, 0.3, 0.2],
      },
    });
  });

  it.each([
    [{ bogus: 1 }, []],
    [{ harvest: { bogus: 1 } }, ['harvest']],
  ])('rejects unknown key in %o', (input, path) => {
    const r = exitBrainConfigSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['bogus'], path });
  });

  it.each([
    ['fractions not summing to 1', { harvest: { aggressive: [0.4, 0.4, 0.3] } }, ['harvest', 'aggressive']],
    ['misordered static levels', { staticLevels: { tp2: 0.03 } }, ['staticLevels']],
    ['slMin ≥ slMax', { slMin: 0.02, slMax: 0.01, staticLevels: { sl: 0.015 } }, ['slMin']],
    ['a static stop outside [slMin, slMax]', { staticLevels: { sl: 0.03 } }, ['staticLevels', 'sl']],
    ['band bounds out of order', { harvest: { conservativeMaxLeverage: 40 } }, ['harvest', 'aggressiveMaxLeverage']],
    ['a zero base TP', { baseTp: 0 }, ['baseTp']],
    ['a liquidation share above 1', { liquidationShare: 1.5 }, ['liquidationShare']],
    ['a fractional window', { pnlWindow: 2.5 }, ['pnlWindow']],
    ['pnl clamp min > max', { pnlAdjustment: { min: 1.3 } }, ['pnlAdjustment', 'min']],
  ])('rejects %s, naming the field', (_name, input, path) => {
    const r = exitBrainConfigSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path.slice(0, path.length)).toEqual(path);
  });
});
