import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROTECTION_CONFIG,
  actionStopsEntries,
  describeAction,
  graduatedAction,
  protectionConfigSchema,
} from '../../../src/risk/liquidation-protection.js';

describe('graduatedAction', () => {
  it.each([
    ['low', { kind: 'none' }],
    ['medium', { kind: 'stop_entries' }],
    ['high', { kind: 'reduce', fraction: 0.5 }],
    ['critical', { kind: 'flatten' }],
  ] as const)('default: %s → %o', (level, action) => {
    expect(graduatedAction(level)).toEqual(action);
    expect(graduatedAction(level, DEFAULT_PROTECTION_CONFIG)).toEqual(action);
  });

  it('configurable: reduce fraction, and a reduce at critical', () => {
    const config = protectionConfigSchema.parse({ reduceFraction: 0.25, critical: 'reduce' });
    expect(graduatedAction('high', config)).toEqual({ kind: 'reduce', fraction: 0.25 });
    expect(graduatedAction('critical', config)).toEqual({ kind: 'reduce', fraction: 0.25 });
  });

  it('every action but none stops entries', () => {
    expect(actionStopsEntries({ kind: 'none' })).toBe(false);
    expect(actionStopsEntries({ kind: 'stop_entries' })).toBe(true);
    expect(actionStopsEntries({ kind: 'reduce', fraction: 0.5 })).toBe(true);
    expect(actionStopsEntries({ kind: 'flatten' })).toBe(true);
    expect(describeAction({ kind: 'reduce', fraction: 0.5 })).toContain('50%');
  });

  it.each([
    [{ bogus: 1 }],
    [{ critical: 'stop_entries' }], // milder than high's reduce
    [{ low: 'flatten' }],
    [{ reduceFraction: 0 }],
    [{ reduceFraction: 1.5 }],
    [{ high: 'panic' }],
  ])('the schema rejects %o', (input) => {
    expect(protectionConfigSchema.safeParse(input).success).toBe(false);
  });
});
