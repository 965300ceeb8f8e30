import { sideSign } from './execution-records.js';
import type { Side } from '../core/types.js';

/** A fill as the neutrality metrics see it. */
export interface NeutralityFill {
  readonly ts: number;
  readonly symbol: string;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
}

/** A position held when the range starts (signed size, and the price it is valued at). */
export interface OpeningPosition {
  readonly symbol: string;
  readonly size: number;
  readonly price: number;
}

/** Where a pair is in its life: being entered, held (harvests included), or being exited. */
export type PairPhase = 'entering' | 'holding' | 'exiting';

/** A span of market time in one phase, [fromTs, toTs). Spans do not overlap (one bot trades one pair at a time). */
export interface PhaseSpan {
  readonly fromTs: number;
  readonly toTs: number;
  readonly phase: PairPhase;
}

/** One phase's part of the time-weighted figures; `other` is time held outside any pair's span. */
export interface PhaseNeutrality {
  readonly seconds: number;
  /** This phase's ∫|net delta| dt ÷ the whole range's ∫gross dt: the phases' shares sum to twAbsNetDeltaShare. */
  readonly absNetDeltaShare: number | null;
  /** Time-weighted |net delta| ÷ gross within the phase alone. */
  readonly withinShare: number | null;
}

export interface NeutralityInput {
  /** One bot's fills in time order. */
  readonly fills: readonly NeutralityFill[];
  readonly opening?: readonly OpeningPosition[];
  /** Market time, inclusive. */
  readonly fromTs: number;
  /** Market time, exclusive: the last state counts until here. */
  readonly toTs: number;
  /** |net delta| above this share of the pair notional (gross ÷ 2) counts as out of balance; 0.1. */
  readonly threshold?: number;
  /** The pairs' phases, in time order: with them the time-weighted figures are also split by phase. */
  readonly phases?: readonly PhaseSpan[];
}

/**
 * How neutral a bot really was, measured from its fills at event resolution: the state changes at
 * each fill (fills at the same instant are one event) and holds until the next. Net delta values
 * each position at its symbol's latest fill price; naked exposure values it at its cost basis, so
 * it is the notional bought or sold without its match, free of later price drift. "Holding" is any
 * time with a position. Shares are null when the bot never held anything.
 */
export interface NeutralityMetrics {
  readonly holdingSeconds: number;
  /** Time-weighted mean |net delta| while holding, USD. */
  readonly twAbsNetDeltaUsd: number;
  /** Time-weighted mean gross notional while holding, USD. */
  readonly twGrossUsd: number;
  /** twAbsNetDeltaUsd ÷ twGrossUsd. */
  readonly twAbsNetDeltaShare: number | null;
  readonly maxAbsNetDeltaUsd: number;
  readonly maxGrossUsd: number;
  /** maxAbsNetDeltaUsd ÷ maxGrossUsd (the headline ratio). */
  readonly maxAbsNetDeltaShare: number | null;
  /** Largest |Σ size × cost basis|: notional on one side not matched by the other, USD. */
  readonly maxNakedUsd: number;
  /** Seconds with |net delta| above `threshold` × pair notional. */
  readonly secondsAboveThreshold: number;
  /** secondsAboveThreshold ÷ holdingSeconds. */
  readonly shareAboveThreshold: number | null;
  /**
   * The time-weighted |net delta| split by where the pair was: naked while entering or exiting
   * (one leg's slice waiting for the other's), or held. Present when phases were given.
   */
  readonly byPhase?: Readonly<Record<PairPhase | 'other', PhaseNeutrality>>;
}

interface Leg {
  size: number;
  /** size × average entry price (signed). */
  cost: number;
  price: number;
}

const EPS = 1e-9;

/** Applies one fill to a leg: the cost basis scales down on a reduction and restarts on a flip. */
function apply(l: Leg, f: NeutralityFill): void {
  const d = sideSign(f.side) * f.size;
  const next = l.size + d;
  if (l.size === 0 || Math.sign(d) === Math.sign(l.size)) l.cost += d * f.price;
  else if (Math.abs(next) <= EPS) l.cost = 0;
  else if (Math.sign(next) === Math.sign(l.size)) l.cost *= next / l.size;
  else l.cost = next * f.price;
  l.size = Math.abs(next) <= EPS ? 0 : next;
  l.price = f.price;
}

/** Computes the neutrality metrics. Pure. */
export function computeNeutrality(i: NeutralityInput): NeutralityMetrics {
  const threshold = i.threshold ?? 0.1;
  const legs = new Map<string, Leg>();
  for (const p of i.opening ?? []) if (p.size !== 0) legs.set(p.symbol, { size: p.size, cost: p.size * p.price, price: p.price });
  let holdingMs = 0;
  let absDeltaMs = 0;
  let grossMs = 0;
  let aboveMs = 0;
  let maxDelta = 0;
  let maxGross = 0;
  let maxNaked = 0;
  const PHASES = ['entering', 'holding', 'exiting', 'other'] as const;
  const per = new Map(PHASES.map((p) => [p, { ms: 0, absDeltaMs: 0, grossMs: 0 }]));
  const spans = i.phases ?? [];
  let span = 0;
  const state = (): { delta: number; gross: number; naked: number } => {
    let delta = 0;
    let gross = 0;
    let naked = 0;
    for (const l of legs.values()) {
      delta += l.size * l.price;
      gross += Math.abs(l.size * l.price);
      naked += l.cost;
    }
    return { delta, gross, naked: Math.abs(naked) };
  };
  const observe = (): void => {
    const s = state();
    maxDelta = Math.max(maxDelta, Math.abs(s.delta));
    maxGross = Math.max(maxGross, s.gross);
    maxNaked = Math.max(maxNaked, s.naked);
  };
  /** Splits [from, to) over the phase spans (walked forward once: `hold` is called in time order). */
  const attribute = (from: number, to: number, absDelta: number, gross: number): void => {
    let t = from;
    while (t < to) {
      while (span < spans.length && spans[span]!.toTs <= t) span++;
      const cur = spans[span];
      const inside = cur !== undefined && cur.fromTs <= t;
      const end = Math.min(to, inside ? cur.toTs : (cur?.fromTs ?? to));
      const acc = per.get(inside ? cur.phase : 'other')!;
      acc.ms += end - t;
      acc.absDeltaMs += absDelta * (end - t);
      acc.grossMs += gross * (end - t);
      t = end;
    }
  };
  const hold = (from: number, to: number): void => {
    const dt = Math.max(0, to - from);
    const s = state();
    if (dt === 0 || s.gross <= EPS) return;
    holdingMs += dt;
    absDeltaMs += Math.abs(s.delta) * dt;
    grossMs += s.gross * dt;
    if (Math.abs(s.delta) > threshold * (s.gross / 2) + EPS) aboveMs += dt;
    if (i.phases) attribute(from, to, Math.abs(s.delta), s.gross);
  };
  observe();
  let t = i.fromTs;
  for (let k = 0; k < i.fills.length; ) {
    const ts = Math.max(i.fills[k]!.ts, i.fromTs);
    if (ts >= i.toTs) break;
    hold(t, ts);
    t = ts;
    // Fills at one instant are one event: the state between them never existed in market time.
    while (k < i.fills.length && Math.max(i.fills[k]!.ts, i.fromTs) === ts) {
      const f = i.fills[k++]!;
      const l = legs.get(f.symbol) ?? { size: 0, cost: 0, price: f.price };
      apply(l, f);
      legs.set(f.symbol, l);
    }
    observe();
  }
  hold(t, i.toTs);
  const ratio = (a: number, b: number): number | null => (b > EPS ? a / b : null);
  return {
    holdingSeconds: holdingMs / 1000,
    twAbsNetDeltaUsd: holdingMs > 0 ? absDeltaMs / holdingMs : 0,
    twGrossUsd: holdingMs > 0 ? grossMs / holdingMs : 0,
    twAbsNetDeltaShare: ratio(absDeltaMs, grossMs),
    maxAbsNetDeltaUsd: maxDelta,
    maxGrossUsd: maxGross,
    maxAbsNetDeltaShare: ratio(maxDelta, maxGross),
    maxNakedUsd: maxNaked,
    secondsAboveThreshold: aboveMs / 1000,
    shareAboveThreshold: holdingMs > 0 ? aboveMs / holdingMs : null,
    ...(i.phases
      ? { byPhase: Object.fromEntries(PHASES.map((p) => { const a = per.get(p)!; return [p, { seconds: a.ms / 1000, absNetDeltaShare: ratio(a.absDeltaMs, grossMs), withinShare: ratio(a.absDeltaMs, a.grossMs) }]; })) as Record<PairPhase | 'other', PhaseNeutrality> }
      : {}),
  };
}
