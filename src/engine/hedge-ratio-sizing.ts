import { roundDown } from '../core/tick-rounding.js';
import type { Instrument, SizingStep } from '../core/types.js';

interface SizedLeg {
  readonly size: number;
  readonly trace: readonly SizingStep[];
}

/**
 * Beta-adjusted, the legs go to the hedge ratio h (short notional = h × long notional) by
 * shrinking one leg, never growing the other: the caps the sizing pipeline applied still hold.
 * At h = 1 the sizing itself comes back; null when the shrunk leg falls below its minimum. Pure.
 */
export function hedgeRatioSizing<T extends { readonly long: SizedLeg; readonly short: SizedLeg }>(s: T, h: number, longInst: Instrument, shortInst: Instrument): T | null {
  if (h === 1) return s;
  const scale = (leg: T['long'], inst: Instrument, k: number): T['long'] | null => {
    const size = roundDown(leg.size * k, inst.lotSize);
    if (size < inst.minSize || !(size > 0)) return null;
    return { ...leg, size, trace: [...leg.trace, { step: 'hedge_ratio', input: leg.size, output: size, reason: `beta-adjusted: short notional ${h.toFixed(3)} × long (DCC minimum-variance ratio)` }] };
  };
  const long = h > 1 ? scale(s.long, longInst, 1 / h) : s.long;
  const short = h < 1 ? scale(s.short, shortInst, h) : s.short;
  return long && short ? { ...s, long, short } : null;
}
