import { describe, expect, it } from 'vitest';
import { dnPairConfigSchema } from '../../../strategies/dn-pair/dn-pair-config.js';
import { bookSpreadBps, decideVolumeEntry, decideVolumeExit } from '../../../strategies/dn-pair/volume-mode.js';

const c = dnPairConfigSchema.parse({ mode: 'volume' });
const entry = { now: 1_000, nextCycleTs: 0, spreadBpsA: 2, spreadBpsB: 2, z: 0.4, lastLong: null };

describe('volume mode decisions', () => {
  it('measures a book spread in bps of the mid', () => {
    expect(bookSpreadBps({ bids: [{ price: 99.9, size: 1 }], asks: [{ price: 100.1, size: 1 }] })).toBeCloseTo(20, 9);
    expect(bookSpreadBps({ bids: [], asks: [{ price: 1, size: 1 }] })).toBeUndefined();
    expect(bookSpreadBps(undefined)).toBeUndefined();
  });

  it('waits for the cadence and quotes only inside the spread target', () => {
    expect(decideVolumeEntry(c, { ...entry, nextCycleTs: 2_000 })).toBeNull();
    expect(decideVolumeEntry(c, { ...entry, spreadBpsA: 25 })).toBeNull();
    expect(decideVolumeEntry(c, { ...entry, spreadBpsB: undefined })).toBeNull();
    expect(decideVolumeEntry(c, { ...entry, spreadBpsA: Number.NaN })).toBeNull();
    expect(decideVolumeEntry(c, { ...entry, spreadBpsA: 20, spreadBpsB: 20 })).not.toBeNull();
  });

  it('starts a cycle only in a quiet market when maxVolatilityFactor is set, and with an unknown factor', () => {
    expect(c.volume.maxVolatilityFactor).toBeNull();
    expect(decideVolumeEntry(c, { ...entry, volatilityFactor: 5 })).not.toBeNull();
    const quiet = dnPairConfigSchema.parse({ mode: 'volume', volume: { maxVolatilityFactor: 1 } });
    expect(decideVolumeEntry(quiet, { ...entry, volatilityFactor: 1.01 })).toBeNull();
    expect(decideVolumeEntry(quiet, { ...entry, volatilityFactor: Number.NaN })).toBeNull();
    expect(decideVolumeEntry(quiet, { ...entry, volatilityFactor: 1 })).not.toBeNull();
    expect(decideVolumeEntry(quiet, { ...entry, volatilityFactor: null })).not.toBeNull();
    expect(decideVolumeEntry(quiet, entry)).not.toBeNull();
  });

  it('longs the leg the spread model calls cheap, else alternates', () => {
    expect(decideVolumeEntry(c, { ...entry, z: 0.4 })).toEqual({ longSymbol: 'SOL-PERP', shortSymbol: 'ETH-PERP' });
    expect(decideVolumeEntry(c, { ...entry, z: -0.1 })).toEqual({ longSymbol: 'ETH-PERP', shortSymbol: 'SOL-PERP' });
    expect(decideVolumeEntry(c, { ...entry, z: null, lastLong: 'ETH-PERP' })!.longSymbol).toBe('SOL-PERP');
    expect(decideVolumeEntry(c, { ...entry, z: null, lastLong: 'SOL-PERP' })!.longSymbol).toBe('ETH-PERP');
  });

  it('exits at the stop, the small target, or the time limit', () => {
    const open = { openedTs: 0, now: 1_000 };
    expect(decideVolumeExit(c, { ...open, pnlFraction: -0.005 })).toBe('volume_stop');
    expect(decideVolumeExit(c, { ...open, pnlFraction: 0.0005 })).toBe('volume_target');
    expect(decideVolumeExit(c, { ...open, pnlFraction: 0.0004 })).toBeNull();
    expect(decideVolumeExit(c, { openedTs: 0, now: c.volume.maxHoldMs, pnlFraction: 0 })).toBe('volume_time_limit');
  });
});
