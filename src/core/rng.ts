import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

/** A source of uniform numbers in [0, 1). */
export type UniformSource = () => number;

/** A source of standard normal draws. */
export type NormalSource = () => number;

/**
 * The project's one seeded generator (xoroshiro128+ from pure-rand): the simulated market, the
 * analytics' Monte Carlo and the tests draw from it. The same seed gives the same sequence on
 * every machine; not cryptographic.
 */
export class SeededRng {
  private readonly gen: ReturnType<typeof xoroshiro128plus>;
  private readonly normals: NormalSource = normalSource(() => this.next());

  constructor(seed: number) {
    this.gen = xoroshiro128plus(seed | 0);
    // Small seeds give poorly mixed first outputs; discard a few.
    for (let i = 0; i < 16; i++) uniformFloat64(this.gen);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return uniformInt(this.gen, min, max);
  }

  /** Standard normal (Marsaglia polar method, {@link normalSource}). */
  normal(): number {
    return this.normals();
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An independent stream derived from this one (e.g. one per symbol). */
  fork(): SeededRng {
    return new SeededRng(this.int(-2147483648, 2147483647));
  }
}

/** Uniform [0, 1) draws of a {@link SeededRng} seeded with `seed` (a 32-bit integer). */
export function seededUniform(seed: number): UniformSource {
  const rng = new SeededRng(seed);
  return () => rng.next();
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
