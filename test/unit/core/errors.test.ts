import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DnbotError,
  ErrorCodes,
  InputError,
  RiskRejection,
  VenueRejectError,
  VenueUnknownOutcomeError,
  isDnbotError,
} from '../../../src/core/errors.js';

describe('ErrorCodes registry', () => {
  const codes = Object.values(ErrorCodes);

  it('has no duplicate codes', () => {
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each(codes)('%s starts with E_ and is upper snake case', (code) => {
    expect(code).toMatch(/^E_[A-Z0-9]+(_[A-Z0-9]+)*$/);
  });

  it('keys match their codes (KEY → E_KEY)', () => {
    for (const [key, code] of Object.entries(ErrorCodes)) expect(code).toBe(`E_${key}`);
  });
});

describe('error classes', () => {
  it.each([
    [new ConfigError('risk.maxLeverage', 'too high'), ErrorCodes.CONFIG_INVALID, 'ConfigError'],
    [new ConfigError('--seed', 'bad', ErrorCodes.CLI_USAGE), ErrorCodes.CLI_USAGE, 'ConfigError'],
    [new InputError('price', 'NaN'), ErrorCodes.INPUT_INVALID, 'InputError'],
    [new RiskRejection(ErrorCodes.RISK_LEVERAGE, 'over'), ErrorCodes.RISK_LEVERAGE, 'RiskRejection'],
    [new VenueRejectError('no'), ErrorCodes.VENUE_REJECTED, 'VenueRejectError'],
    [new VenueUnknownOutcomeError('timeout'), ErrorCodes.VENUE_UNKNOWN_OUTCOME, 'VenueUnknownOutcomeError'],
  ])('%s carries code %s and its class name', (err, code, name) => {
    expect(err).toBeInstanceOf(DnbotError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe(code);
    expect(err.name).toBe(name);
    expect(isDnbotError(err)).toBe(true);
  });

  it('ConfigError and InputError expose the field and put it in details', () => {
    const c = new ConfigError('sim.bogus', 'unknown key');
    expect(c.field).toBe('sim.bogus');
    expect(c.details).toEqual({ field: 'sim.bogus' });
    const i = new InputError('size', 'must be > 0');
    expect(i.field).toBe('size');
    expect(i.details).toEqual({ field: 'size' });
  });

  it('keeps details passed to venue errors', () => {
    expect(new VenueRejectError('no', { clientOrderId: 'x' }).details).toEqual({ clientOrderId: 'x' });
  });

  it.each([new Error('plain'), 'E_CONFIG_INVALID', null, undefined, { code: 'E_CONFIG_INVALID' }])(
    'isDnbotError(%s) is false',
    (v) => {
      expect(isDnbotError(v)).toBe(false);
    },
  );
});
