import { requireInteger, requirePositiveNumber, requireSeries } from './analytics-input.js';

export interface NelderMeadOptions {
  /** Iteration cap. Default 200 × dimension. */
  readonly maxIterations?: number;
  /** Converged when every vertex is within this distance (per coordinate) of the best. Default 1e-7. */
  readonly xTolerance?: number;
  /** …and every vertex's value within fTolerance·(1 + |best|) of the best. Default 1e-10. */
  readonly fTolerance?: number;
  /** Edge of the starting simplex along each axis. Default 0.25. */
  readonly initialStep?: number;
}

export interface NelderMeadResult {
  /** The best point found. */
  readonly x: number[];
  /** f at `x`. */
  readonly value: number;
  readonly iterations: number;
  readonly evaluations: number;
  /** Whether both tolerances were met before the iteration cap. */
  readonly converged: boolean;
}

interface Vertex {
  x: number[];
  f: number;
}

/**
 * Minimises f: ℝⁿ → ℝ with the Nelder–Mead simplex method (standard coefficients: reflection 1,
 * expansion 2, contraction ½, shrink ½; Lagarias et al. 1998). Derivative-free, which suits a
 * likelihood written in reparametrised coordinates. A non-finite f(x) counts as +∞, so the
 * simplex backs away from it. Unconstrained: express constraints through the parametrisation.
 *
 * No library among ours does this (simple-statistics and ml-matrix have no optimiser), hence
 * this small one.
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on a non-finite start or options out of range;
 *   E_ANALYTICS_TOO_FEW_POINTS on an empty start point.
 */
export function minimizeNelderMead(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  opts: NelderMeadOptions = {},
): NelderMeadResult {
  requireSeries('x0', x0, 1);
  const n = x0.length;
  const maxIterations = requireInteger('maxIterations', opts.maxIterations ?? 200 * n, 1);
  const xTol = requirePositiveNumber('xTolerance', opts.xTolerance ?? 1e-7);
  const fTol = requirePositiveNumber('fTolerance', opts.fTolerance ?? 1e-10);
  const step = requirePositiveNumber('initialStep', opts.initialStep ?? 0.25);
  let evaluations = 0;
  const evaluate = (x: number[]): Vertex => {
    evaluations++;
    const v = f(x);
    return { x, f: Number.isFinite(v) ? v : Number.POSITIVE_INFINITY };
  };
  const simplex: Vertex[] = [evaluate(copy(x0))];
  for (let i = 0; i < n; i++) {
    const x = copy(x0);
    x[i] = x[i]! + step;
    simplex.push(evaluate(x));
  }

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    simplex.sort((a, b) => a.f - b.f);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    if (hasConverged(simplex, xTol, fTol)) {
      converged = true;
      break;
    }
    iterations++;
    // Each coordinate summed over the vertices in their order, from 0, as a running sum would.
    const centroid: number[] = [];
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let v = 0; v < n; v++) sum += simplex[v]!.x[i]! / n;
      centroid.push(sum);
    }

    const reflected = evaluate(along(centroid, worst.x, -1));
    if (reflected.f < best.f) {
      const expanded = evaluate(along(centroid, worst.x, -2));
      simplex[n] = expanded.f < reflected.f ? expanded : reflected;
      continue;
    }
    if (reflected.f < simplex[n - 1]!.f) {
      simplex[n] = reflected;
      continue;
    }
    const outside = reflected.f < worst.f;
    const contracted = evaluate(along(centroid, worst.x, outside ? -0.5 : 0.5));
    if (outside ? contracted.f <= reflected.f : contracted.f < worst.f) {
      simplex[n] = contracted;
      continue;
    }
    for (let v = 1; v <= n; v++) simplex[v] = evaluate(along(best.x, simplex[v]!.x, 0.5));
  }
  simplex.sort((a, b) => a.f - b.f);
  const winner = simplex[0]!;
  return { x: winner.x, value: winner.f, iterations, evaluations, converged };
}

/*
 * Points are built by pushing onto a new array (`copy`, `along`), never by `map`, a spread or
 * `new Array(n)`: V8 gives those arrays a hidden class that depends on how the call ran (a builtin
 * `map` makes a packed array, the same `map` inlined into optimised code a holey one), and the
 * fit's code, optimised on one, was thrown away when the other came (a daily GARCH refit compiled
 * again at ~25 ms). Pushed, every point has the same one, unless all its coordinates are whole
 * numbers (a fit's are logs and logits).
 */
function copy(x: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) out.push(x[i]!);
  return out;
}

/** from + t·(to − from), coordinate by coordinate. */
function along(from: readonly number[], to: readonly number[], t: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < from.length; i++) {
    const v = from[i]!;
    out.push(v + t * (to[i]! - v));
  }
  return out;
}

function hasConverged(sorted: readonly Vertex[], xTol: number, fTol: number): boolean {
  const best = sorted[0]!;
  if (!Number.isFinite(best.f)) return false;
  for (let v = 1; v < sorted.length; v++) {
    const vertex = sorted[v]!;
    if (!(Math.abs(vertex.f - best.f) <= fTol * (1 + Math.abs(best.f)))) return false;
    for (let i = 0; i < best.x.length; i++) if (Math.abs(vertex.x[i]! - best.x[i]!) > xTol) return false;
  }
  return true;
}
