import { describe, expect, it } from 'vitest';
import { normalSource, SeededRng, seededUniform } from '../../../src/core/rng.js';

function draws(next: () => number, n: number): number[] {
  return Array.from({ length: n }, () => next());
}

describe('seededUniform', () => {
  it('the same seed gives the same sequence; another seed another one', () => {
    expect(draws(seededUniform(42), 50)).toEqual(draws(seededUniform(42), 50));
    expect(draws(seededUniform(42), 50)).not.toEqual(draws(seededUniform(43), 50));
    expect(draws(seededUniform(-7), 5)).toEqual(draws(seededUniform(-7), 5));
  });

  it('stays in [0, 1) with the moments of U(0, 1)', () => {
    const u = draws(seededUniform(1), 200_000);
    let sum = 0;
    let sumSq = 0;
    let outside = 0;
    for (const x of u) {
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
      sumSq += x * x;
    }
    expect(outside).toBe(0);
    const mean = sum / u.length;
    expect(mean).toBeCloseTo(0.5, 2);
    expect(sumSq / u.length - mean * mean).toBeCloseTo(1 / 12, 3);
  });

  it('is the SeededRng stream: one generator for the simulated market and the analytics', () => {
    const rng = new SeededRng(42);
    expect(draws(seededUniform(42), 20)).toEqual(draws(() => rng.next(), 20));
  });
});

describe('normalSource', () => {
  it('draws with mean 0, variance 1 and 5% beyond ±1.96', () => {
    const z = draws(normalSource(seededUniform(7)), 200_000);
    let sum = 0;
    let sumSq = 0;
    let beyond = 0;
    for (const x of z) {
      sum += x;
      sumSq += x * x;
      if (Math.abs(x) > 1.959963984540054) beyond++;
    }
    expect(sum / z.length).toBeCloseTo(0, 2);
    expect(sumSq / z.length).toBeCloseTo(1, 1);
    expect(beyond / z.length).toBeCloseTo(0.05, 2);
  });
});
