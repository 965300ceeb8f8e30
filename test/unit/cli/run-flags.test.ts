import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/core/errors.js';
import { applyRunFlags, parseDuration, parseSeed, parseSpeed } from '../../../src/cli/run-flags.js';
import { configErrorOf } from './config-error-of.js';

describe('parseDuration', () => {
  it.each([
    ['6h', 21_600_000],
    ['90m', 5_400_000],
    ['30s', 30_000],
    ['2d', 172_800_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['6 hours', 21_600_000],
  ])('%s = %s ms', (text, v) => {
    expect(parseDuration(text)).toBe(v);
  });

  it.each(['', ' ', 'abc', '6x', '-5m', '0s', '0', 'h', 'six hours', '1e3h', 'x'.repeat(200)])(
    'refuses "%s" as a usage error naming --duration',
    (text) => {
      const e = configErrorOf(() => parseDuration(text));
      expect(e.field).toBe('--duration');
      expect(e.code).toBe(ErrorCodes.CLI_USAGE);
    },
  );
});

describe('parseSpeed', () => {
  it.each([
    ['max', 'max'],
    ['60', 60],
    ['1', 1],
    ['0.5', 0.5],
    ['1000', 1000],
  ] as const)('%s → %s', (text, v) => {
    expect(parseSpeed(text)).toBe(v);
  });

  it.each(['', '0', '-1', 'fast', 'NaN', 'Infinity', 'MAX'])('refuses "%s" naming --speed', (text) => {
    const e = configErrorOf(() => parseSpeed(text));
    expect(e.field).toBe('--speed');
    expect(e.code).toBe(ErrorCodes.CLI_USAGE);
  });
});

describe('parseSeed', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['42', 42],
    ['2147483647', 2_147_483_647],
  ])('%s → %s', (text, v) => {
    expect(parseSeed(text)).toBe(v);
  });

  it.each(['', ' ', '-1', '1.5', 'abc', '2147483648', 'NaN', '0x10'])('refuses "%s" naming --seed', (text) => {
    const e = configErrorOf(() => parseSeed(text));
    expect(e.field).toBe('--seed');
    expect(e.code).toBe(ErrorCodes.CLI_USAGE);
  });
});

describe('applyRunFlags', () => {
  it('leaves the file config alone when no flags are given (sim)', () => {
    const raw = { seed: 3, run: { speed: 10 }, risk: { maxLeverage: 10 } };
    expect(applyRunFlags(raw, {}, 'run')).toEqual({ seed: 3, run: { speed: 10 }, risk: { maxLeverage: 10 }, venue: 'sim', mode: 'paper' });
    expect(raw).toEqual({ seed: 3, run: { speed: 10 }, risk: { maxLeverage: 10 } });
  });

  it('applies parsed flags over the file', () => {
    const out = applyRunFlags({ seed: 3, run: { speed: 10, statusIntervalMs: 500 }, log: { file: 'x.log' } }, { duration: '6h', speed: 'max', seed: '7', db: 'other.db', logLevel: 'debug' }, 'run');
    expect(out).toMatchObject({
      seed: 7,
      db: 'other.db',
      run: { speed: 'max', durationMs: 21_600_000, statusIntervalMs: 500 },
      log: { file: 'x.log', level: 'debug' },
    });
  });

  it('replay runs as fast as possible unless told otherwise', () => {
    expect(applyRunFlags({}, {}, 'replay')).toMatchObject({ mode: 'replay', venue: 'replay', run: { speed: 'max' } });
    expect(applyRunFlags({ run: { speed: 5 } }, {}, 'replay')).toMatchObject({ run: { speed: 5 } });
    expect(applyRunFlags({}, { speed: '120' }, 'replay')).toMatchObject({ run: { speed: 120 } });
  });

  it.each([
    [{ venue: 'binance' }, '--venue'],
    [{ duration: 'forever' }, '--duration'],
    [{ speed: 'warp' }, '--speed'],
    [{ seed: '-3' }, '--seed'],
    [{ mode: 'yolo' }, '--mode'],
    [{ mode: 'live', live: true }, '--mode'],
    [{ venue: 'nado', mode: 'live' }, '--live'],
  ])('refuses bad flags %o naming %s', (flags, field) => {
    expect(configErrorOf(() => applyRunFlags({}, flags, 'run')).field).toBe(field);
  });

  it('live trading needs a real venue and the --live confirmation, from flags or the file', () => {
    expect(applyRunFlags({}, { venue: 'nado' }, 'run')).toMatchObject({ venue: 'nado', mode: 'paper' });
    expect(applyRunFlags({}, { venue: 'drift', mode: 'live', live: true }, 'run')).toMatchObject({ venue: 'drift', mode: 'live' });
    // A config file alone cannot switch on live trading.
    expect(configErrorOf(() => applyRunFlags({ venue: 'coinbase', mode: 'live' }, {}, 'run')).field).toBe('--live');
    expect(configErrorOf(() => applyRunFlags({ venue: 'binance' }, {}, 'run')).field).toBe('venue');
  });
});
