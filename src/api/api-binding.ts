import { ConfigError } from '../core/errors.js';

/** How the status API may be reached, decided once at start from config and environment. */
export interface ApiBinding {
  readonly host: string;
  /** True when bound beyond loopback: every read then needs the bearer token too. */
  readonly readsNeedToken: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * The binding rule: loopback by default; any other address is allowed only when the config asks
 * for it (`api.host`) and DNBOT_CONTROL_TOKEN is set, and then reads need the token as well.
 * @throws ConfigError (E_CONFIG_INVALID, field `api.host`) when bound beyond loopback without a token.
 */
export function resolveApiBinding(host: string, controlToken: string | undefined): ApiBinding {
  if (isLoopbackHost(host)) return { host, readsNeedToken: false };
  if (controlToken === undefined || controlToken.length < 12) {
    throw new ConfigError(
      'api.host',
      `binding the status API to ${host} (beyond loopback) needs DNBOT_CONTROL_TOKEN in the environment (at least 12 characters); every request then needs it. Allowed without a token: 127.0.0.1, ::1`,
    );
  }
  return { host, readsNeedToken: true };
}
