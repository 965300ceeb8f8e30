import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { applyEnv, parseConfig } from '../../../src/cli/config-loader.js';

describe('ADAPTIVE_LEVERAGE_ENABLED', () => {
  it.each([
    ['false', false],
    ['0', false],
    ['TRUE', true],
    ['1', true],
  ])('%s sets exitBrain.enabled to %s', (value, enabled) => {
    expect(parseConfig(applyEnv({}, { ADAPTIVE_LEVERAGE_ENABLED: value })).exitBrain.enabled).toBe(enabled);
  });

  it('is overridden by the config file', () => {
    expect(parseConfig(applyEnv({ exitBrain: { enabled: true } }, { ADAPTIVE_LEVERAGE_ENABLED: 'false' })).exitBrain.enabled).toBe(true);
  });

  it('defaults to enabled when unset or empty', () => {
    expect(parseConfig(applyEnv({}, {})).exitBrain.enabled).toBe(true);
    expect(parseConfig(applyEnv({}, { ADAPTIVE_LEVERAGE_ENABLED: '' })).exitBrain.enabled).toBe(true);
  });

  it('refuses a value that is not a boolean, naming the variable', () => {
    try {
      applyEnv({}, { ADAPTIVE_LEVERAGE_ENABLED: 'maybe' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).field).toBe('ADAPTIVE_LEVERAGE_ENABLED');
    }
  });
});
