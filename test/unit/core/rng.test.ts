import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SeededRng } from '../../../src/core/rng.js';

const draw = (rng: SeededRng, n: number): number[] => Array.from({ length: n }, () => rng.next());

describe('SeededRng', () => {
  it('gives the same sequence for the same seed (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2147483648, max: 2147483647 }), (seed) => {
        const a = new SeededRng(seed);
        const b = new SeededRng(seed);
        expect(draw(a, 20)).toEqual(draw(b, 20));
        expect([a.normal(), a.int(0, 100), a.exponential(3)]).toEqual([b.normal(), b.int(0, 100), b.exponential(3)]);
      }),
      { numRuns: 50 },
    );
  });

  it('gives different sequences for different seeds', () => {
    const seqs = [0, 1, 2, 42, 12345, -1].map((s) => draw(new SeededRng(s), 8).join(','));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('next() is uniform in [0, 1)', () => {
    const xs = draw(new SeededRng(7), 20_000);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
  });

  it('normal() has mean ≈ 0 and std ≈ 1 over many draws', () => {
    const rng = new SeededRng(2026);
    const n = 50_000;
    const xs = Array.from({ length: n }, () => rng.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(std - 1)).toBeLessThan(0.02);
    for (const x of xs) expect(Number.isFinite(x)).toBe(true);
  });

  it('int(min, max) stays within inclusive bounds and reaches both ends', () => {
    const rng = new SeededRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(-2, 2);
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(-2);
      expect(v).toBeLessThanOrEqual(2);
      seen.add(v);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
  });

  it('exponential(mean) is positive with the given mean', () => {
    const rng = new SeededRng(11);
    const n = 50_000;
    const xs = Array.from({ length: n }, () => rng.exponential(4));
    for (const x of xs) expect(x).toBeGreaterThanOrEqual(0);
    expect(xs.reduce((s, x) => s + x, 0) / n).toBeCloseTo(4, 0);
  });

  it('chance(0) is never true and chance(1) always', () => {
    const rng = new SeededRng(5);
    for (let i = 0; i < 500; i++) {
      expect(rng.chance(0)).toBe(false);
      expect(rng.chance(1)).toBe(true);
    }
  });

  it('fork() is deterministic and independent of the parent', () => {
    const a = new SeededRng(9);
    const b = new SeededRng(9);
    const fa = a.fork();
    const fb = b.fork();
    expect(draw(fa, 10)).toEqual(draw(fb, 10));
    expect(draw(a, 10)).toEqual(draw(b, 10));
    expect(draw(new SeededRng(9).fork(), 10)).not.toEqual(draw(new SeededRng(9), 10));
  });
});
