import { createRequire } from 'node:module';
import { Connection, PublicKey } from '@solana/web3.js';
import { decodeName, getUserAccountPublicKeySync } from '@drift-labs/sdk';
import { LiveClock, type Clock } from '../../src/core/clock.js';
import { ConfigError } from '../../src/core/errors.js';
import type { DriftConfig } from './drift-config.js';
import { driftUrls } from './drift-config.js';
import { loadDriftCatalog, perpMarketSpec, programStatus, type ProgramStatus } from './drift-catalog.js';
import { keypairFromEnv } from './drift-keypair.js';

export interface DoctorResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface DriftDoctorOptions {
  readonly config: DriftConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Live mode needs the keypair and an existing subaccount; paper mode only reports them. */
  readonly live?: boolean;
  /** The local clock compared with the chain's block time (the real clock when absent). */
  readonly wall?: Clock;
}

/** What the chain and the installed SDK say, gathered once (null = could not be read). */
export interface DriftFacts {
  readonly sdkVersion: string;
  /** null when the RPC answered; else why it did not. */
  readonly rpcError: string | null;
  readonly slot: number | null;
  /** Local − chain block time of the current slot (ms, against the middle of the round trip); null when not read. */
  readonly clockSkewMs: number | null;
  readonly programExecutable: boolean | null;
  /** The program's state account's pause switches; null when it could not be read. */
  readonly programStatus: ProgramStatus | null;
  /** Settlement spot market name (e.g. USDC), null when the account is missing. */
  readonly settlementName: string | null;
  /** Configured perp market index → its quote spot market index (absent = no such market). */
  readonly perpQuote: ReadonlyMap<number, number>;
  /** null when no keypair was given. */
  readonly subaccount: { readonly address: string; readonly exists: boolean } | null;
  readonly keypairError: string | null;
}

/** Which config field each check vouches for (the ConfigError names it on a mismatch). */
export const DOCTOR_FIELDS: Readonly<Record<string, string>> = {
  'sdk version': 'drift.sdkVersion',
  'rpc health': 'DRIFT_RPC_URL',
  clock: 'drift.maxClockSkewMs',
  'program id': 'drift.programId',
  'program status': 'drift.programId',
  'settlement market': 'drift.settlementMarketIndex',
  'perp markets': 'drift.markets',
  subaccount: 'drift.subAccountId',
};

/** Judges the facts against the configuration. Pure. */
export function evaluateDriftDoctor(c: DriftConfig, f: DriftFacts, live: boolean): DoctorResult[] {
  const out: DoctorResult[] = [];
  out.push({ name: 'sdk version', ok: f.sdkVersion === c.sdkVersion, detail: `installed @drift-labs/sdk ${f.sdkVersion}, configured ${c.sdkVersion}` });
  out.push({ name: 'rpc health', ok: f.rpcError === null, detail: f.rpcError === null ? `${c.env} RPC answers at slot ${f.slot ?? '?'}` : `RPC unreachable: ${f.rpcError}` });
  out.push(clockCheck(c, f));
  out.push({
    name: 'program id',
    ok: f.programExecutable === true,
    detail: f.programExecutable === true ? `${c.programId} is a deployed program` : f.programExecutable === false ? `${c.programId} exists but is not a program` : `${c.programId} not found on ${c.env}`,
  });
  out.push(programStatusCheck(c.programId, f));
  const settleOk = f.settlementName !== null && f.settlementName === c.settlementSymbol;
  out.push({
    name: 'settlement market',
    ok: settleOk,
    detail: f.settlementName === null ? `spot market ${c.settlementMarketIndex} not found` : `spot market ${c.settlementMarketIndex} is ${f.settlementName}, configured ${c.settlementSymbol}`,
  });
  const bad: string[] = [];
  for (const [symbol, idx] of Object.entries(c.markets)) {
    const q = f.perpQuote.get(idx);
    if (q === undefined) bad.push(`${symbol}: perp ${idx} missing`);
    else if (q !== c.settlementMarketIndex) bad.push(`${symbol}: perp ${idx} settles in spot ${q}`);
  }
  out.push({ name: 'perp markets', ok: bad.length === 0, detail: bad.length === 0 ? `${Object.keys(c.markets).length} markets settle in spot ${c.settlementMarketIndex}` : bad.join('; ') });
  if (f.subaccount === null) {
    out.push({ name: 'subaccount', ok: !live, detail: f.keypairError ?? `${c.keypairEnv} not set: subaccount not checked` });
  } else {
    out.push({
      name: 'subaccount',
      ok: f.subaccount.exists,
      detail: f.subaccount.exists ? `subaccount ${c.subAccountId} at ${f.subaccount.address}` : `subaccount ${c.subAccountId} (${f.subaccount.address}) does not exist: initialise it in the Drift app first`,
    });
  }
  return out;
}

/** The local clock against the chain's: order-event backfills compare the two (drift-venue.ts). */
function clockCheck(c: DriftConfig, f: DriftFacts): DoctorResult {
  if (f.clockSkewMs === null) return { name: 'clock', ok: true, detail: f.rpcError === null ? 'not checked: the RPC served no block time' : 'not checked (no RPC)' };
  const s = f.clockSkewMs;
  if (Math.abs(s) <= c.maxClockSkewMs) return { name: 'clock', ok: true, detail: `local clock within ${Math.abs(s)} ms of the chain's block time` };
  const dir = s > 0 ? 'ahead of' : 'behind';
  const why = s > 0 ? 'order-event backfills, windowed by local time, would skip fills made while the stream was down' : 'fills and backfill windows would be stamped far from the times the chain gives them';
  return { name: 'clock', ok: false, detail: `local clock is ${Math.abs(s)} ms ${dir} the chain's block time (limit ${c.maxClockSkewMs} ms, drift.maxClockSkewMs): ${why}; sync the system clock (NTP) or check the RPC` };
}

/** Drift's relaunch after the 2026-04-01 exploit: another program and SDK (not on our registry). */
const RELAUNCH = 'Drift halted after the 2026-04-01 exploit; its relaunch, Velocity, is program vELoC1audYbSYVRXn1vPaV8Axoa9oU6BYmNGZZBDZ1P settling in USDT, driven by @velocity-exchange/sdk, which this build does not include';

function programStatusCheck(programId: string, f: DriftFacts): DoctorResult {
  const st = f.programStatus;
  // No RPC or no program: that check fails already and names the cause; this one has nothing to add.
  if (st === null && (f.rpcError !== null || f.programExecutable !== true)) return { name: 'program status', ok: true, detail: 'not checked (no program to read)' };
  if (st === null) return { name: 'program status', ok: false, detail: `state account of ${programId} not read: trading status unknown` };
  if (st.exchangeStatus === 0) return { name: 'program status', ok: true, detail: `${programId} is active (exchange status 0)` };
  if (st.exchangeStatus === 255) {
    return { name: 'program status', ok: false, detail: `program ${programId} is paused: its on-chain state disables all instructions (exchange status 255). ${RELAUNCH}` };
  }
  return { name: 'program status', ok: false, detail: `program ${programId} has paused ${st.paused.join(', ')} (exchange status ${st.exchangeStatus})` };
}

function installedSdkVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('@drift-labs/sdk/package.json') as { version: string }).version;
}

/** Reads the facts (a handful of RPC calls); never throws: failures become facts. */
export async function gatherDriftFacts(o: DriftDoctorOptions): Promise<DriftFacts> {
  const c = o.config;
  const urls = driftUrls(c, o.env);
  const connection = new Connection(urls.rpc, 'confirmed');
  const wall = o.wall ?? new LiveClock();
  let rpcError: string | null = null;
  let slot: number | null = null;
  let clockSkewMs: number | null = null;
  try {
    const sent = wall.now();
    slot = await connection.getSlot();
    try {
      const blockTime = await connection.getBlockTime(slot);
      if (blockTime !== null) clockSkewMs = Math.round((sent + wall.now()) / 2 - blockTime * 1000);
    } catch {
      clockSkewMs = null; // not served: the check says so
    }
  } catch (e) {
    rpcError = (e as Error).message;
  }
  let programExecutable: boolean | null = null;
  let status: ProgramStatus | null = null;
  let settlementName: string | null = null;
  const perpQuote = new Map<number, number>();
  let subaccount: DriftFacts['subaccount'] = null;
  let keypairError: string | null = null;
  if (rpcError === null) {
    try {
      const info = await connection.getAccountInfo(new PublicKey(c.programId));
      programExecutable = info === null ? null : info.executable;
      if (programExecutable) {
        const cat = await loadDriftCatalog(urls.rpc, c.programId, [...new Set(Object.values(c.markets))], c.settlementMarketIndex);
        status = programStatus(cat.state);
        settlementName = cat.settlement ? decodeName(cat.settlement.name).trim() : null;
        for (const [idx, m] of cat.perpMarkets) perpQuote.set(idx, perpMarketSpec(m, cat.state).quoteSpotMarketIndex);
      }
    } catch (e) {
      rpcError ??= `reading Drift accounts failed: ${(e as Error).message}`;
    }
  }
  if (o.env[c.keypairEnv] !== undefined) {
    try {
      const kp = keypairFromEnv(c.keypairEnv, o.env);
      const addr = getUserAccountPublicKeySync(new PublicKey(c.programId), kp.publicKey, c.subAccountId);
      const exists = rpcError === null ? (await connection.getAccountInfo(addr)) !== null : false;
      subaccount = { address: addr.toBase58(), exists };
    } catch (e) {
      keypairError = e instanceof ConfigError ? e.message : `subaccount lookup failed: ${(e as Error).message}`;
    }
  }
  return { sdkVersion: installedSdkVersion(), rpcError, slot, clockSkewMs, programExecutable, programStatus: status, settlementName, perpQuote, subaccount, keypairError };
}

/** `dnbot doctor --venue drift`: program id, settlement market, SDK version, RPC health, subaccount. */
export async function driftDoctorChecks(o: DriftDoctorOptions): Promise<DoctorResult[]> {
  return evaluateDriftDoctor(o.config, await gatherDriftFacts(o), o.live ?? false);
}

/** @throws ConfigError naming the first mismatching field (live trading refuses to start). */
export function requireDoctorPass(results: readonly DoctorResult[]): void {
  const bad = results.find((r) => !r.ok);
  if (bad) throw new ConfigError(DOCTOR_FIELDS[bad.name] ?? 'drift', `${bad.name} check failed: ${bad.detail}`);
}
