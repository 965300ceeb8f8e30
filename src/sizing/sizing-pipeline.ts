import { roundDown } from '../core/tick-rounding.js';
import type { BookLevel, Instrument, SizingStep } from '../core/types.js';
import { maxSafePositionPerLeg } from '../core/leverage-limit.js';
import { isPositiveFinite } from '../core/validation.js';
import { depthWithinSlippage } from '../core/book-depth.js';

/** Everything one leg's size depends on, read from live state by the caller. */
export interface LegSizingInput {
  readonly instrument: Instrument;
  /** Price the leg would be sent at. */
  readonly price: number;
  /** Levels we would take from if we had to complete with IOC (asks for a buy), best first. */
  readonly takeLevels: readonly BookLevel[];
  /** Notional already held or resting on this symbol. */
  readonly existingNotional: number;
}

/** A multiplicative step (risk multiplier, volatility adjustment). */
export interface SizingScale {
  readonly step: string;
  readonly factor: number;
  readonly reason: string;
}

/** A cap in USD of notional per leg, computed by the caller from live state (allocation tier, risk limits...). */
export interface SizingCap {
  readonly step: string;
  readonly long: number;
  readonly short: number;
  readonly reason: string;
}

export interface PairSizingInput {
  readonly baseNotional: number;
  /** Why the base is what it is (e.g. the progressive sizer's phase and growth). */
  readonly baseReason?: string;
  /** Applied in order after the base. */
  readonly scales?: readonly SizingScale[];
  /** Applied in order after the leverage cap, before book depth. */
  readonly caps?: readonly SizingCap[];
  readonly collateral: number;
  readonly maxLeverage: number;
  readonly safetyFactor: number;
  readonly maxSlippageBps: number;
  readonly long: LegSizingInput;
  readonly short: LegSizingInput;
}

export interface LegSize {
  readonly size: number;
  readonly notional: number;
  readonly trace: readonly SizingStep[];
}

export type PairSizing =
  | { readonly ok: true; readonly long: LegSize; readonly short: LegSize; readonly notional: number; readonly trace: readonly SizingStep[] }
  | { readonly ok: false; readonly reason: string; readonly trace: readonly SizingStep[] };

/**
 * The sizing pipeline for a pair (ruling 4's order): base notional → scales (risk multiplier,
 * volatility) → caps (leverage validation half per leg, then the caller's caps: allocation tier,
 * capital share, risk limits, phase maximum) → book depth within max slippage → matched notional →
 * lot rounding → minimums. Every step appends to the trace. Pure.
 */
export function sizePair(i: PairSizingInput): PairSizing {
  const trace: SizingStep[] = [];
  const step = (name: string, input: number, output: number, reason: string): number => {
    trace.push({ step: name, input, output, reason });
    return output;
  };
  let n = step('base', i.baseNotional, i.baseNotional, i.baseReason ?? 'configured base notional per leg');
  for (const [label, value] of [
    ['base notional', i.baseNotional],
    ['long price', i.long.price],
    ['short price', i.short.price],
    ...(i.scales ?? []).map((sc) => [sc.step, sc.factor] as const),
  ] as const) {
    if (!isPositiveFinite(value)) return { ok: false, reason: `${label} ${value} must be finite and > 0`, trace };
  }
  for (const sc of i.scales ?? []) n = step(sc.step, n, n * sc.factor, `× ${sc.factor.toFixed(4)}: ${sc.reason}`);
  const perLeg = maxSafePositionPerLeg(i.collateral, i.maxLeverage, i.safetyFactor);
  for (const [label, leg] of [
    ['long', i.long],
    ['short', i.short],
  ] as const) {
    const room = Math.max(0, perLeg - leg.existingNotional);
    n = step(
      `leverage_cap_${label}`,
      n,
      Math.min(n, room),
      `collateral ${i.collateral.toFixed(2)} × ${i.maxLeverage}× × ${i.safetyFactor} / 2 = ${perLeg.toFixed(2)} per leg, ${leg.existingNotional.toFixed(2)} in use`,
    );
  }
  for (const cap of i.caps ?? []) {
    const limit = Math.max(0, Math.min(cap.long, cap.short));
    if (!(limit >= 0) || Number.isNaN(limit)) return { ok: false, reason: `${cap.step} cap is not a number`, trace };
    n = step(cap.step, n, Math.min(n, limit), `${cap.reason} (long ${cap.long.toFixed(2)}, short ${cap.short.toFixed(2)})`);
  }
  for (const [label, leg] of [
    ['long', i.long],
    ['short', i.short],
  ] as const) {
    const depth = depthWithinSlippage(leg.takeLevels, i.maxSlippageBps);
    n = step(`depth_cap_${label}`, n, Math.min(n, depth), `${leg.instrument.symbol} depth within ${i.maxSlippageBps} bps: ${depth.toFixed(2)}`);
  }
  const legs: LegSize[] = [];
  for (const leg of [i.long, i.short]) {
    const inst = leg.instrument;
    const size = roundDown(n / leg.price, inst.lotSize);
    const legTrace = [...trace, { step: 'lot_round', input: n / leg.price, output: size, reason: `${inst.symbol} lot ${inst.lotSize} at ${leg.price}` }];
    const notional = size * leg.price;
    if (!(size > 0) || !Number.isFinite(notional) || size < inst.minSize || notional < inst.minNotional) {
      const reason = `${inst.symbol} size ${size} (notional ${notional.toFixed(2)}) below minimum (size ${inst.minSize}, notional ${inst.minNotional})`;
      legTrace.push({ step: 'min_check', input: size, output: 0, reason });
      return { ok: false, reason, trace: legTrace };
    }
    legTrace.push({ step: 'min_check', input: size, output: size, reason: 'meets venue minimums' });
    legs.push({ size, notional, trace: legTrace });
  }
  const [long, short] = legs as [LegSize, LegSize];
  return { ok: true, long, short, notional: n, trace };
}
