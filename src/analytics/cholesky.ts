import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { AnalyticsError, AnalyticsErrorCodes } from './analytics-error.js';
import { requireFiniteNumber } from './analytics-input.js';

/** A square matrix as rows (row-major), e.g. a covariance or correlation matrix. */
export type SquareMatrix = readonly (readonly number[])[];

/** Entries a_ij and a_ji may differ by this much, relative to their size, and still count as equal. */
const SYMMETRY_TOLERANCE = 1e-10;

/**
 * A finite, symmetric `size × size` matrix (symmetric within a relative 1e-10, then made exactly
 * symmetric by averaging the two triangles). Returns a fresh copy.
 * @throws AnalyticsError E_ANALYTICS_INPUT on a ragged or wrongly sized matrix, a non-finite entry
 *   or an asymmetry beyond the tolerance.
 */
export function requireSymmetricMatrix(field: string, matrix: SquareMatrix, size: number): number[][] {
  if (!Array.isArray(matrix) || matrix.length !== size) {
    throw new AnalyticsError(AnalyticsErrorCodes.INPUT, field, `must be a ${size}×${size} matrix`);
  }
  const out: number[][] = [];
  for (let i = 0; i < size; i++) {
    const row = matrix[i];
    if (!Array.isArray(row) || row.length !== size) {
      throw new AnalyticsError(AnalyticsErrorCodes.INPUT, `${field}[${i}]`, `must be a row of ${size} numbers`);
    }
    out.push(row.map((v, j) => requireFiniteNumber(`${field}[${i}][${j}]`, v)));
  }
  for (let i = 0; i < size; i++) {
    for (let j = i + 1; j < size; j++) {
      const a = out[i]![j]!;
      const b = out[j]![i]!;
      if (Math.abs(a - b) > SYMMETRY_TOLERANCE * Math.max(Math.abs(a), Math.abs(b))) {
        throw new AnalyticsError(AnalyticsErrorCodes.INPUT, `${field}[${i}][${j}]`, `must equal [${j}][${i}] (symmetric), got ${a} and ${b}`);
      }
      const mid = (a + b) / 2;
      out[i]![j] = mid;
      out[j]![i] = mid;
    }
  }
  return out;
}

/**
 * The lower-triangular Cholesky factor L of a symmetric positive-definite matrix, A = L·Lᵀ
 * (ml-matrix `CholeskyDecomposition`). Used to turn independent normal draws z into correlated
 * ones, L·z ~ N(0, A).
 *
 * Strict positive definiteness is required: a singular matrix (two assets perfectly correlated,
 * an asset with zero variance) has no unique factor and is refused rather than silently patched.
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT on a malformed or asymmetric matrix (see
 *   {@link requireSymmetricMatrix}); E_ANALYTICS_NOT_POSITIVE_DEFINITE when A is not positive
 *   definite.
 */
export function choleskyFactor(matrix: SquareMatrix, field = 'matrix'): number[][] {
  const size = Array.isArray(matrix) ? matrix.length : 0;
  if (size < 1) throw new AnalyticsError(AnalyticsErrorCodes.INPUT, field, 'must be a non-empty square matrix');
  const a = requireSymmetricMatrix(field, matrix, size);
  const decomposition = new CholeskyDecomposition(new Matrix(a));
  const lower = decomposition.lowerTriangularMatrix.to2DArray();
  if (!decomposition.isPositiveDefinite() || lower.some((row) => row.some((v) => !Number.isFinite(v)))) {
    throw new AnalyticsError(AnalyticsErrorCodes.NOT_POSITIVE_DEFINITE, field, 'is not positive definite');
  }
  return lower;
}
