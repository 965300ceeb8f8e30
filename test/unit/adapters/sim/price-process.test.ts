import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../../src/core/rng.js';
import {
  initialPriceProcessState,
  priceProcessCoefficients,
  reanchorPriceProcess,
  stepPriceProcess,
} from '../../../../adapters/sim/price-process.js';
import { simMarketConfigSchema, type SimMarketConfig } from '../../../../adapters/sim/sim-config.js';
import { ar1, halfLifeFromAr1, rms } from './sim-test-helpers.js';

const START = [3000, 150, 60000];
const STEP_MS = 1000;
const MINUTE_STEPS = 60;
const NO_JUMPS = { commonPerDay: 0, symbolPerDay: 0 };

interface Path {
  /** Log prices per symbol sampled every `every` steps (first sample = start). */
  readonly logs: number[][];
  readonly regimes: number[];
}

function simulate(
  config: SimMarketConfig,
  steps: number,
  every: number,
  seed = 7,
  regime: 0 | 1 = 0,
  stepMs = STEP_MS,
): Path {
  const c = priceProcessCoefficients(config, stepMs);
  const st = initialPriceProcessState(START);
  st.regime = regime;
  const rng = new SeededRng(seed);
  const logs: number[][] = [[], [], []];
  const regimes: number[] = [];
  const sample = () => st.logPrice.forEach((v, i) => logs[i]?.push(v));
  sample();
  for (let k = 1; k <= steps; k++) {
    stepPriceProcess(st, c, rng);
    regimes.push(st.regime);
    if (k % every === 0) sample();
  }
  return { logs, regimes };
}

function diffs(xs: readonly number[]): number[] {
  return xs.slice(1).map((x, i) => x - (xs[i] ?? 0));
}

/** Beta-neutral ETH/SOL log spread at each sample. */
function spreadOf(p: Path, config: SimMarketConfig): number[] {
  const h = config.symbols['ETH-PERP'].beta / config.symbols['SOL-PERP'].beta;
  const eth = p.logs[0] ?? [];
  const sol = p.logs[1] ?? [];
  return eth.map((e, i) => e - h * (sol[i] ?? 0));
}

const annualise = (perSampleStd: number, sampleMs: number) => perSampleStd * Math.sqrt((365 * 86_400_000) / sampleMs);

describe('stepPriceProcess', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const config = simMarketConfigSchema.parse({});
    const a = simulate(config, 5000, 100, 1);
    const b = simulate(config, 5000, 100, 1);
    const c = simulate(config, 5000, 100, 2);
    expect(a.logs).toEqual(b.logs);
    expect(a.logs).not.toEqual(c.logs);
  });

  it('starts at the anchor prices and keeps prices finite and positive over a volatile month', () => {
    const config = simMarketConfigSchema.parse({ regime: { calmToVolatilePerHour: 1, volatileToCalmPerHour: 0 } });
    const p = simulate(config, 30 * 1440, 10, 7, 0, 60_000);
    p.logs.forEach((series, i) => {
      expect(Math.exp(series[0] ?? 0)).toBeCloseTo(START[i] ?? 0, 9);
      for (const l of series) expect(Number.isFinite(Math.exp(l)) && Math.exp(l) > 0).toBe(true);
    });
  });

  it('pure OU spread: the half-life estimated from 1-minute samples matches the config', () => {
    const config = simMarketConfigSchema.parse({
      symbols: { 'ETH-PERP': { idioVol: 0 }, 'SOL-PERP': { idioVol: 0 } },
      jumps: NO_JUMPS,
      regime: { calmToVolatilePerHour: 0 },
    });
    const s = spreadOf(simulate(config, 4 * 86_400, MINUTE_STEPS), config);
    const hlMinutes = halfLifeFromAr1(ar1(s), 1);
    expect(hlMinutes).toBeGreaterThan(30 / 1.5);
    expect(hlMinutes).toBeLessThan(30 * 1.5);
    // Stationary std of the beta-neutral spread is the configured 0.4% (the factor cancels exactly).
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    expect(rms(s.map((x) => x - mean))).toBeGreaterThan(0.004 / 1.5);
    expect(rms(s.map((x) => x - mean))).toBeLessThan(0.004 * 1.5);
  });

  it('default model: the ETH/SOL spread mean-reverts (half-life within ~3× of config) while ETH itself does not', () => {
    const config = simMarketConfigSchema.parse({});
    const p = simulate(config, 10 * 86_400, MINUTE_STEPS, 11);
    const hlMinutes = halfLifeFromAr1(ar1(spreadOf(p, config)), 1);
    expect(hlMinutes).toBeGreaterThan(30 / 3);
    expect(hlMinutes).toBeLessThan(30 * 3);
    // The price level has no reversion on this scale: its implied half-life is far longer.
    expect(halfLifeFromAr1(ar1(p.logs[0] ?? []), 1)).toBeGreaterThan(30 * 20);
  });

  it('calm regime: realised 1-minute vol of each symbol matches the configured components', () => {
    const config = simMarketConfigSchema.parse({ regime: { calmToVolatilePerHour: 0 }, jumps: NO_JUMPS });
    const p = simulate(config, 3 * 86_400, MINUTE_STEPS, 3);
    const minute = 60_000;
    const spreadVar = config.spread.stationaryStd ** 2 * 2 * (Math.LN2 / config.spread.halfLifeMs) * 365 * 86_400_000;
    const h = config.symbols['ETH-PERP'].beta / config.symbols['SOL-PERP'].beta;
    const weights = [0.5, -0.5 / h, 0];
    (['ETH-PERP', 'SOL-PERP', 'BTC-PERP'] as const).forEach((sym, i) => {
      const s = config.symbols[sym];
      const w = weights[i] ?? 0;
      const expected = Math.sqrt((s.beta * config.factor.annualVol) ** 2 + s.idioVol ** 2 + w * w * spreadVar);
      const realised = annualise(rms(diffs(p.logs[i] ?? [])), minute);
      expect(realised / expected).toBeGreaterThan(0.85);
      expect(realised / expected).toBeLessThan(1.15);
    });
  });

  it('volatile regime multiplies vol by volMultiplier', () => {
    const base = { jumps: NO_JUMPS };
    const calm = simMarketConfigSchema.parse({ ...base, regime: { calmToVolatilePerHour: 0 } });
    const wild = simMarketConfigSchema.parse({ ...base, regime: { volatileToCalmPerHour: 0, volMultiplier: 3 } });
    const vCalm = rms(diffs(simulate(calm, 86_400, MINUTE_STEPS, 5).logs[2] ?? []));
    const vWild = rms(diffs(simulate(wild, 86_400, MINUTE_STEPS, 5, 1).logs[2] ?? []));
    expect(vWild / vCalm).toBeGreaterThan(2.5);
    expect(vWild / vCalm).toBeLessThan(3.5);
  });

  it('regimes switch at roughly the configured rates', () => {
    const config = simMarketConfigSchema.parse({ regime: { calmToVolatilePerHour: 0.2, volatileToCalmPerHour: 0.5 } });
    const { regimes } = simulate(config, 40 * 1440, 60, 7, 0, 60_000);
    const volatileShare = regimes.reduce((a, r) => a + r, 0) / regimes.length;
    // Stationary share of the volatile state: 0.2 / (0.2 + 0.5) ≈ 0.29.
    expect(volatileShare).toBeGreaterThan(0.18);
    expect(volatileShare).toBeLessThan(0.4);
  });

  it('jumps arrive at the configured rate with the configured size', () => {
    const config = simMarketConfigSchema.parse({
      factor: { annualVol: 0 },
      spread: { stationaryStd: 0 },
      symbols: { 'ETH-PERP': { idioVol: 0 }, 'SOL-PERP': { idioVol: 0 }, 'BTC-PERP': { idioVol: 0 } },
      idiosyncratic: { halfLifeMs: 1e15 },
      jumps: { commonPerDay: 20, commonStd: 0.01, symbolPerDay: 0 },
    });
    const days = 20;
    // One-minute steps: the per-step jump probability (1.4%) is still a fine Poisson approximation.
    const moves = diffs(simulate(config, days * 1440, 1, 7, 0, 60_000).logs[2] ?? []).filter((d) => d !== 0);
    expect(moves.length).toBeGreaterThan(20 * days * 0.8);
    expect(moves.length).toBeLessThan(20 * days * 1.2);
    // BTC loads 0.8 on the factor.
    expect(rms(moves) / (0.8 * 0.01)).toBeGreaterThan(0.8);
    expect(rms(moves) / (0.8 * 0.01)).toBeLessThan(1.2);
  });

  it('reanchorPriceProcess moves the level without touching the components', () => {
    const config = simMarketConfigSchema.parse({});
    const c = priceProcessCoefficients(config, STEP_MS);
    const st = initialPriceProcessState(START);
    const rng = new SeededRng(1);
    for (let k = 0; k < 1000; k++) stepPriceProcess(st, c, rng);
    const factor = st.factor;
    const before = st.logPrice[1] ?? 0;
    const delta = reanchorPriceProcess(st, 1, Math.log(123));
    expect(Math.exp(st.logPrice[1] ?? 0)).toBeCloseTo(123, 9);
    expect(delta).toBeCloseTo(Math.log(123) - before, 12);
    expect(st.factor).toBe(factor);
    // The next step moves it by the same increment it would have without the re-anchor.
    stepPriceProcess(st, c, rng);
    expect(Math.exp(st.logPrice[1] ?? 0) / 123).toBeGreaterThan(0.99);
    expect(Math.exp(st.logPrice[1] ?? 0) / 123).toBeLessThan(1.01);
  });
});
