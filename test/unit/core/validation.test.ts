import { describe, expect, it } from 'vitest';
import { ErrorCodes, InputError } from '../../../src/core/errors.js';
import { isPositiveFinite, requireFinite, requireNonNegative, requirePositive } from '../../../src/core/validation.js';

const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('requirePositive', () => {
  it.each([1e-12, 1, 3000.5, Number.MAX_VALUE])('accepts %s and returns it', (v) => {
    expect(requirePositive('size', v)).toBe(v);
  });

  it.each([0, -0, -1, ...bad])('refuses %s with an InputError naming the field', (v) => {
    const e = inputErrorOf(() => requirePositive('order.size', v));
    expect(e.code).toBe(ErrorCodes.INPUT_INVALID);
    expect(e.field).toBe('order.size');
  });
});

describe('requireNonNegative', () => {
  it.each([0, -0, 1e-12, 5])('accepts %s', (v) => {
    expect(requireNonNegative('fee', v)).toBe(v);
  });

  it.each([-1e-12, -5, ...bad])('refuses %s', (v) => {
    expect(inputErrorOf(() => requireNonNegative('fee', v)).field).toBe('fee');
  });
});

describe('requireFinite', () => {
  it.each([-1e9, -1, 0, 1, 1e9])('accepts %s', (v) => {
    expect(requireFinite('pnl', v)).toBe(v);
  });

  it.each(bad)('refuses %s', (v) => {
    expect(inputErrorOf(() => requireFinite('pnl', v)).field).toBe('pnl');
  });
});

describe('isPositiveFinite', () => {
  it.each([
    [1, true],
    [1e-300, true],
    [0, false],
    [-1, false],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
    ['1', false],
    [null, false],
    [undefined, false],
    [{}, false],
  ])('isPositiveFinite(%s) = %s', (v, expected) => {
    expect(isPositiveFinite(v)).toBe(expected);
  });
});
