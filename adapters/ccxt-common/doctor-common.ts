/**
 * Doctor checks every ccxt-family venue shares (pure: no I/O). The result shape is the one
 * `dnbot doctor` prints (src/cli/doctor-checks.ts), declared here too so the adapter does not
 * import the CLI.
 */
import type { Clock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';

/** One check: a short name, whether it passed, and what was found (plain words, never a secret). */
export interface DoctorResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What a venue's doctor check list is given. */
export interface CcxtDoctorOptions<C> {
  readonly config: C;
  /** Our symbols the configured bots trade. */
  readonly symbols: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly wall: Clock;
  readonly logger: Logger;
  /** The config asks for live trading: missing keys fail. */
  readonly live: boolean;
}

/** Clock skew above this breaks signed requests (JWT `nbf`/`exp`, Nado's recv window). */
export const MAX_CLOCK_SKEW_MS = 5_000;

/**
 * Clock skew from one round trip: the server's time against the middle of our send and receive
 * times, so the network delay does not count as skew.
 */
export function clockSkewResult(serverMs: number, sentMs: number, receivedMs: number, maxSkewMs = MAX_CLOCK_SKEW_MS): DoctorResult {
  const skew = Math.round(serverMs - (sentMs + receivedMs) / 2);
  const rtt = receivedMs - sentMs;
  const ok = Math.abs(skew) <= maxSkewMs;
  const dir = skew >= 0 ? 'behind' : 'ahead of';
  return {
    name: 'clock',
    ok,
    detail: ok
      ? `local clock within ${Math.abs(skew)} ms of the venue's (round trip ${rtt} ms)`
      : `local clock is ${Math.abs(skew)} ms ${dir} the venue's (limit ${maxSkewMs} ms): signed requests will be refused; sync the system clock (e.g. enable NTP)`,
  };
}

/**
 * Presence of the keys (names only, never values). Missing keys fail only when the config asks
 * for live trading; paper mode needs none.
 */
export function keysResult(vars: readonly string[], env: Readonly<Record<string, string | undefined>>, live: boolean): DoctorResult {
  const missing = vars.filter((v) => !env[v]);
  if (missing.length === 0) return { name: 'keys', ok: true, detail: `${vars.join(', ')} set` };
  if (!live) return { name: 'keys', ok: true, detail: `${missing.join(', ')} not set: fine for paper mode, needed for --mode live` };
  return { name: 'keys', ok: false, detail: `${missing.join(', ')} not set: live trading needs ${missing.length === 1 ? 'it' : 'them'} in the environment` };
}

/** A failed network check, in plain words. */
export function unreachable(name: string, what: string, err: unknown): DoctorResult {
  const msg = err instanceof Error ? err.message : String(err);
  return { name, ok: false, detail: `${what} did not answer: ${msg.slice(0, 200)}` };
}

