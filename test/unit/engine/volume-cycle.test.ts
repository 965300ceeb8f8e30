import { describe, expect, it } from 'vitest';
import { dnPairConfigSchema } from '../../../strategies/dn-pair/dn-pair-config.js';
import { VolumeCycle } from '../../../src/engine/volume-cycle.js';

const book = () => ({ bids: [{ price: 99.99, size: 10 }], asks: [{ price: 100.01, size: 10 }] }) as never;
const sig = { z: 0.4, beta: 1, signalStrength: 0.2, confidence: 0.5 };

describe('VolumeCycle and the quiet gate', () => {
  it('never reads the volatility factor when the gate is off (reading it refreshes the cache sizing shares)', () => {
    let reads = 0;
    const cycle = new VolumeCycle(dnPairConfigSchema.parse({ mode: 'volume' }));
    expect(cycle.decideEntry(1_000, sig, book, () => (reads++, 9))).not.toBeNull();
    expect(reads).toBe(0);
  });

  it('reads it when set, holds cycles above it and retries on the next decision', () => {
    let factor = 1.5;
    const cycle = new VolumeCycle(dnPairConfigSchema.parse({ mode: 'volume', volume: { maxVolatilityFactor: 1 } }));
    expect(cycle.decideEntry(1_000, sig, book, () => factor)).toBeNull();
    factor = 0.9;
    expect(cycle.decideEntry(1_001, sig, book, () => factor)).toMatchObject({ longSymbol: 'SOL-PERP', shortSymbol: 'ETH-PERP' });
  });
});
