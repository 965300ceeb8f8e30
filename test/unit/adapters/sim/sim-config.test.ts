import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError, ErrorCodes } from '../../../../src/core/errors.js';
import { parseSimMarketConfig, SIM_SYMBOLS, simMarketConfigSchema } from '../../../../adapters/sim/sim-config.js';

function firstIssue(raw: unknown): { path: string; message: string } {
  const res = simMarketConfigSchema.safeParse(raw);
  if (res.success) throw new Error('expected a validation error');
  const issue = res.error.issues[0];
  return { path: (issue?.path ?? []).map(String).join('.'), message: issue?.message ?? '' };
}

describe('simMarketConfigSchema', () => {
  it('parses {} into the documented defaults', () => {
    const c = simMarketConfigSchema.parse({});
    expect(c.startTs).toBe(Date.UTC(2026, 0, 1));
    expect(c.bookIntervalMs).toBe(1000);
    expect(c.levels).toBe(20);
    expect(Object.keys(c.symbols)).toEqual([...SIM_SYMBOLS]);
    const eth = c.symbols['ETH-PERP'];
    const sol = c.symbols['SOL-PERP'];
    const btc = c.symbols['BTC-PERP'];
    expect([eth.initialPrice, sol.initialPrice, btc.initialPrice]).toEqual([3000, 150, 60000]);
    expect([eth.tickSize, sol.tickSize, btc.tickSize]).toEqual([0.01, 0.001, 0.1]);
    expect([eth.lotSize, sol.lotSize, btc.lotSize]).toEqual([0.001, 0.01, 0.0001]);
    expect([eth.minSize, sol.minSize, btc.minSize]).toEqual([0.001, 0.01, 0.0001]);
    expect([eth.beta, sol.beta, btc.beta]).toEqual([1.0, 1.3, 0.8]);
    expect(eth).toMatchObject({
      minNotional: 10,
      maxLeverage: 20,
      makerFeeRate: 0.0001,
      takerFeeRate: 0.0005,
      initialMarginRatio: 0.05,
      maintenanceMarginRatio: 0.03,
      fundingIntervalMs: 3_600_000,
    });
    expect(c.factor.annualVol).toBe(0.6);
    expect(c.spread).toEqual({ halfLifeMs: 1_800_000, stationaryStd: 0.004 });
    expect(c.regime.volMultiplier).toBe(2.5);
    expect(c.funding.baseRate).toBe(0.00001);
  });

  it('fills the other defaults of a partially overridden symbol, and leaves other symbols alone', () => {
    const c = simMarketConfigSchema.parse({ symbols: { 'SOL-PERP': { initialPrice: 200 } } });
    expect(c.symbols['SOL-PERP'].initialPrice).toBe(200);
    expect(c.symbols['SOL-PERP'].tickSize).toBe(0.001);
    expect(c.symbols['ETH-PERP'].initialPrice).toBe(3000);
  });

  it('makes minSize follow an overridden lotSize unless given', () => {
    const c = simMarketConfigSchema.parse({ symbols: { 'BTC-PERP': { lotSize: 0.001 }, 'SOL-PERP': { minSize: 0.1 } } });
    expect(c.symbols['BTC-PERP'].minSize).toBe(0.001);
    expect(c.symbols['SOL-PERP'].minSize).toBe(0.1);
  });

  it.each([
    [{ levels: 0 }, 'levels', /> 0/],
    [{ levels: 2.5 }, 'levels', /integer/],
    [{ bookIntervalMs: 7000 }, 'bookIntervalMs', /divide 60000/],
    [{ symbols: { 'ETH-PERP': { tickSize: -0.01 } } }, 'symbols.ETH-PERP.tickSize', /tickSize must be > 0/],
    [{ symbols: { 'BTC-PERP': { lotSize: 0 } } }, 'symbols.BTC-PERP.lotSize', /lotSize must be > 0/],
    [{ symbols: { 'SOL-PERP': { halfSpreadTicks: 0.2 } } }, 'symbols.SOL-PERP.halfSpreadTicks', /0\.5/],
    [{ symbols: { 'ETH-PERP': { minSize: 0.0015 } } }, 'symbols.ETH-PERP.minSize', /multiple of lotSize/],
    [
      { symbols: { 'ETH-PERP': { maintenanceMarginRatio: 0.1 } } },
      'symbols.ETH-PERP.maintenanceMarginRatio',
      /≤ initialMarginRatio/,
    ],
    [{ spread: { halfLifeMs: 0 } }, 'spread.halfLifeMs', /> 0/],
    [{ regime: { calmToVolatilePerHour: 1.5 } }, 'regime.calmToVolatilePerHour', /\[0, 1\]/],
    [{ regime: { volMultiplier: 0.5 } }, 'regime.volMultiplier', /\[1, 20\]/],
    [{ jumps: { commonStd: -1 } }, 'jumps.commonStd', /≥ 0/],
    [{ factor: { annualVol: Number.NaN } }, 'factor.annualVol', /finite/],
    [{ funding: { baseRate: 0.5 } }, 'funding.baseRate', /\[-0.01, 0.01\]/],
  ])('rejects %j at %s', (raw, path, message) => {
    const issue = firstIssue(raw);
    expect(issue.path).toBe(path);
    expect(issue.message).toMatch(message);
  });

  it.each([
    [{ tickSize: 0.01 }, ''],
    [{ symbols: { 'DOGE-PERP': {} } }, 'symbols'],
    [{ symbols: { 'ETH-PERP': { tick: 0.01 } } }, 'symbols.ETH-PERP'],
    [{ regime: { volMult: 3 } }, 'regime'],
  ])('rejects unknown key in %j (strict objects)', (raw, path) => {
    const issue = firstIssue(raw);
    expect(issue.path).toBe(path);
    expect(issue.message).toMatch(/unrecognized key/i);
  });

  it('accepts any positive overrides in range (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 200 }),
        (price, vol, levels) => {
          const c = simMarketConfigSchema.parse({
            levels,
            factor: { annualVol: vol },
            symbols: { 'ETH-PERP': { initialPrice: price, idioVol: vol } },
          });
          return c.levels === levels && c.symbols['ETH-PERP'].initialPrice === price;
        },
      ),
    );
  });
});

describe('parseSimMarketConfig', () => {
  it('returns the parsed config', () => {
    expect(parseSimMarketConfig(undefined).levels).toBe(20);
  });

  it('throws ConfigError naming the dotted field', () => {
    let err: unknown;
    try {
      parseSimMarketConfig({ symbols: { 'ETH-PERP': { tickSize: 0 } } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe(ErrorCodes.CONFIG_INVALID);
    expect((err as ConfigError).field).toBe('sim.symbols.ETH-PERP.tickSize');
  });
});
