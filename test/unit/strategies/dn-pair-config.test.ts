import { describe, expect, it } from 'vitest';
import { dnPairConfigSchema } from '../../../strategies/dn-pair/dn-pair-config.js';

function firstIssue(raw: unknown): { path: string; message: string } {
  const r = dnPairConfigSchema.safeParse(raw);
  if (r.success) throw new Error('expected a validation error');
  const issue = r.error.issues[0];
  return { path: (issue?.path ?? []).map(String).join('.'), message: issue?.message ?? '' };
}

describe('dnPairConfigSchema', () => {
  it('parses {} into the defaults', () => {
    expect(dnPairConfigSchema.parse({})).toEqual({
      mode: 'signal',
      volume: { cycleIntervalMs: 300_000, maxBookSpreadBps: 20, takeProfitBps: 5, maxHoldMs: 600_000, stopLossBps: 50, exitReposts: 0, nakedMaxMs: 0, maxVolatilityFactor: null },
      legA: 'ETH-PERP',
      legB: 'SOL-PERP',
      windowBars: 120,
      entryZ: 1.5,
      exitZ: 0.3,
      stopZ: 4,
      stopLossPct: 0.01,
      maxHoldMs: 7_200_000,
      cooldownMs: 60_000,
      exits: 'exitbrain',
    });
  });

  it.each([
    [{ exitZ: 0, entryZ: 0.1, stopZ: 0.2 }],
    [{ exitZ: 1, entryZ: 2, stopZ: 3 }],
    [{ exitZ: 0.5, entryZ: 2.5, stopZ: 20 }],
  ])('accepts exitZ < entryZ < stopZ: %o', (bands) => {
    expect(dnPairConfigSchema.parse(bands)).toMatchObject(bands);
  });

  it.each([
    ['exitZ = entryZ', { exitZ: 1.5, entryZ: 1.5 }],
    ['exitZ > entryZ', { exitZ: 2, entryZ: 1.5 }],
    ['entryZ = stopZ', { entryZ: 4, stopZ: 4 }],
    ['entryZ > stopZ', { entryZ: 5, stopZ: 4 }],
    ['entryZ above the default stopZ', { entryZ: 4.5 }],
  ])('refuses %s, pointing at entryZ', (_name, raw) => {
    const i = firstIssue(raw);
    expect(i.path).toBe('entryZ');
    expect(i.message).toMatch(/exitZ < entryZ < stopZ/);
  });

  it.each([
    [{ legA: 'ETH-PERP', legB: 'ETH-PERP' }, 'legB'],
    [{ legA: '' }, 'legA'],
    [{ windowBars: 19 }, 'windowBars'],
    [{ windowBars: 120.5 }, 'windowBars'],
    [{ entryZ: -1 }, 'entryZ'],
    [{ exitZ: -0.1 }, 'exitZ'],
    [{ stopLossPct: 0 }, 'stopLossPct'],
    [{ stopLossPct: 1.5 }, 'stopLossPct'],
    [{ maxHoldMs: 0 }, 'maxHoldMs'],
    [{ cooldownMs: -1 }, 'cooldownMs'],
    [{ entryZ: '1.5' }, 'entryZ'],
  ])('refuses %o naming %s', (raw, path) => {
    expect(firstIssue(raw).path).toBe(path);
  });

  it('refuses unknown keys (strict)', () => {
    const r = dnPairConfigSchema.safeParse({ entryz: 2 });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0]?.code).toBe('unrecognized_keys');
  });
});
