import { requireInteger } from './analytics-input.js';

/** A source of uniform numbers in [0, 1). Analytics takes one injected, or makes one from a seed. */
export type UniformSource = () => number;

/** A source of standard normal draws. */
export type NormalSource = () => number;

/**
 * A seeded uniform generator in [0, 1) with 53 random bits: xoshiro128** (Blackman & Vigna),
 * its state filled by splitmix32 from the seed. Small, fast, and the same sequence on every
 * machine; not cryptographic. Kept inside analytics because `src/analytics` imports nothing of
 * ours (the core `SeededRng` is off limits here).
 *
 * @throws AnalyticsError E_ANALYTICS_INPUT unless `seed` is a 32-bit integer (signed or unsigned).
 */
export function seededUniform(seed: number): UniformSource {
  requireInteger('seed', seed, -0x80000000, 0xffffffff);
  let sm = seed >>> 0;
  const splitmix = (): number => {
    sm = (sm + 0x9e3779b9) | 0;
    let z = sm;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = splitmix();
  let s1 = splitmix();
  let s2 = splitmix();
  let s3 = splitmix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is a fixed point
  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  return () => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Standard normal draws from a uniform source (Marsaglia's polar method; the second draw of each
 * pair is kept for the next call). Deterministic given the uniform source.
 */
export function normalSource(uniform: UniformSource): NormalSource {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    for (;;) {
      const u = 2 * uniform() - 1;
      const v = 2 * uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s);
        spare = v * m;
        return u * m;
      }
    }
  };
}
