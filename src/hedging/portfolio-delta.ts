import { InputError } from '../core/errors.js';
import { requireFinite, requirePositive } from '../core/validation.js';

/** A position as the hedging engine sees it: signed base size and mark (quote per base). */
export interface DeltaPosition {
  readonly symbol: string;
  /** Signed base size: positive long, negative short. */
  readonly size: number;
  /** Mark price, USD, > 0. */
  readonly mark: number;
}

export interface PortfolioDeltaInput {
  readonly positions: readonly DeltaPosition[];
  /** Beta of each symbol to the reference asset (> 0); required per symbol when `betaAdjusted`. */
  readonly betas?: Readonly<Record<string, number>>;
  readonly betaAdjusted: boolean;
}

export interface DeltaContribution {
  readonly symbol: string;
  /** size × mark, USD, signed. */
  readonly notionalUsd: number;
  /** The beta applied: 1 unless beta-adjusted. */
  readonly beta: number;
  /** notional × beta, USD, signed. */
  readonly deltaUsd: number;
}

export interface PortfolioDelta {
  /** Σ size × mark (× beta when beta-adjusted), USD, signed: positive is net long. */
  readonly deltaUsd: number;
  /** Σ |size × mark|, USD: the gross notional (never beta-weighted). */
  readonly grossUsd: number;
  /** Per position, in input order. */
  readonly contributions: readonly DeltaContribution[];
}

/**
 * The beta a symbol's delta is weighted by: 1 when not beta-adjusted; otherwise `betas[symbol]`.
 * @throws InputError (E_INPUT_INVALID) when beta-adjusted and the beta is missing or not finite and > 0
 * (a silent 1 would hedge notionals while the operator asked for betas).
 */
export function deltaBeta(symbol: string, betaAdjusted: boolean, betas: Readonly<Record<string, number>> | undefined, override?: number): number {
  if (!betaAdjusted) return 1;
  const b = override ?? betas?.[symbol];
  if (b === undefined) throw new InputError(`betas.${symbol}`, 'missing while betaAdjusted is on');
  return requirePositive(`betas.${symbol}`, b);
}

/**
 * USD delta of a book: Σ size × mark, or Σ size × mark × beta when `betaAdjusted` (delta measured
 * in units of the reference asset's USD exposure). Pure.
 * @throws InputError (E_INPUT_INVALID) on an empty or duplicate symbol, a non-finite size, a mark
 * that is not finite and > 0, or a bad or missing beta when beta-adjusted.
 */
export function portfolioDelta(i: PortfolioDeltaInput): PortfolioDelta {
  let deltaUsd = 0;
  let grossUsd = 0;
  const contributions = i.positions.map((p, k) => {
    checkPosition(i.positions, k);
    const beta = deltaBeta(p.symbol, i.betaAdjusted, i.betas);
    const notionalUsd = p.size * p.mark;
    deltaUsd += notionalUsd * beta;
    grossUsd += Math.abs(notionalUsd);
    return { symbol: p.symbol, notionalUsd, beta, deltaUsd: notionalUsd * beta };
  });
  return { deltaUsd, grossUsd, contributions };
}

/**
 * `portfolioDelta({ positions, betaAdjusted, betas }).deltaUsd`, with the same checks
 * ({@link checkPosition}) and the same errors, but no objects: the portfolio monitor asks it on every evaluation
 * (once a market second) to see whether the emergency hedge is triggered. A field name is built
 * only for an error. Pure.
 * @throws InputError (E_INPUT_INVALID) as `portfolioDelta`.
 */
export function portfolioDeltaUsd(ps: PortfolioDeltaInput['positions'], betaAdjusted: boolean, betas?: PortfolioDeltaInput['betas']): number {
  let deltaUsd = 0;
  for (let k = 0; k < ps.length; k++) {
    const p = ps[k]!;
    checkPosition(ps, k);
    deltaUsd += p.size * p.mark * deltaBeta(p.symbol, betaAdjusted, betas);
  }
  return deltaUsd;
}

/**
 * The checks of `ps[k]` both sums make, in their order: a non-empty symbol not held earlier in
 * `ps`, a finite size, a mark finite and > 0. A book holds a few symbols: the earlier ones are
 * compared, not put in a Set; a field name is built only for an error.
 * @throws InputError (E_INPUT_INVALID) naming the position's field.
 */
function checkPosition(ps: PortfolioDeltaInput['positions'], k: number): void {
  const p = ps[k]!;
  if (typeof p.symbol !== 'string' || p.symbol.length === 0) throw new InputError(`positions[${k}].symbol`, 'must be a non-empty string');
  for (let j = 0; j < k; j++) if (ps[j]!.symbol === p.symbol) throw new InputError(`positions[${k}].symbol`, `duplicate symbol ${p.symbol}`);
  if (!Number.isFinite(p.size)) requireFinite(`positions[${k}].size`, p.size);
  if (!(Number.isFinite(p.mark) && p.mark > 0)) requirePositive(`positions[${k}].mark`, p.mark);
}
