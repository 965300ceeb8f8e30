import { InputError } from './errors.js';

/** Finite and strictly positive, or throws {@link InputError} naming `field`. */
export function requirePositive(field: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new InputError(field, `must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

/** Finite and ≥ 0, or throws {@link InputError} naming `field`. */
export function requireNonNegative(field: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new InputError(field, `must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

/** Finite (any sign), or throws {@link InputError} naming `field`. */
export function requireFinite(field: string, value: number): number {
  if (!Number.isFinite(value)) {
    throw new InputError(field, `must be a finite number, got ${String(value)}`);
  }
  return value;
}

export function isPositiveFinite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}
