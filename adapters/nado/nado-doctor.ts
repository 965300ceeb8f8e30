/**
 * `dnbot doctor --venue nado`: `nadoDoctorChecks(options)` returns DoctorResult[] (name, ok,
 * detail in plain words; never a key's value).
 */
import type { Clock } from '../../src/core/clock.js';
import type { NadoConfig } from './nado-config.js';
import { clockSkewResult, keysResult, unreachable, type CcxtDoctorOptions, type DoctorResult } from '../ccxt-common/doctor-common.js';
import { streamCheck } from '../ccxt-common/doctor-stream.js';
import { createNadoExchange, NADO_ENV } from './index.js';

/** Nado's published limits (VENUES.md). */
const NADO_PUBLISHED = { queriesPerMinute: 2400, queriesPer10s: 400, ordersPerMinute: 600, ordersPer10s: 100 } as const;

function nadoKeyShape(env: Readonly<Record<string, string | undefined>>): DoctorResult | null {
  const problems: string[] = [];
  const w = env[NADO_ENV.wallet];
  const k = env[NADO_ENV.privateKey];
  if (w && !/^0x[0-9a-fA-F]{40}$/.test(w)) problems.push(`${NADO_ENV.wallet} should be a 0x-prefixed 20-byte address`);
  if (k && !/^0x[0-9a-fA-F]{64}$/.test(k)) problems.push(`${NADO_ENV.privateKey} should be a 0x-prefixed 32-byte hex key`);
  return problems.length === 0 ? null : { name: 'key format', ok: false, detail: problems.join('; ') };
}

/** Server time from Nado's `time` query (the gateway's edge query, as ccxt's fetchTime asks it); the HTTP Date header (1 s resolution) when the query is not served. */
async function nadoServerTime(gateway: string, wall: Clock, timeoutMs: number): Promise<{ server: number; sent: number; received: number; coarse: boolean }> {
  const ctrl = new AbortController();
  const timer = wall.setTimer(timeoutMs, () => ctrl.abort());
  try {
    const sent = wall.now();
    const res = await fetch(`${gateway}/edge/query?type=time`, { signal: ctrl.signal });
    const received = wall.now();
    const text = await res.text();
    let server = NaN;
    try {
      const j = JSON.parse(text) as Record<string, unknown>;
      server = Number(j['server_time'] ?? (j['data'] as Record<string, unknown> | undefined)?.['server_time']);
    } catch {
      server = NaN;
    }
    if (Number.isFinite(server) && server > 0) return { server, sent, received, coarse: false };
    const date = Date.parse(res.headers.get('date') ?? '');
    if (!Number.isFinite(date)) throw new Error(`no server time (HTTP ${res.status})`);
    return { server: date + 500, sent, received, coarse: true };
  } finally {
    wall.cancelTimer(timer);
  }
}

export async function nadoDoctorChecks(o: CcxtDoctorOptions<NadoConfig>): Promise<DoctorResult[]> {
  const cfg = o.config;
  const out: DoctorResult[] = [];
  const unmapped = o.symbols.filter((s) => cfg.symbols[s] === undefined);
  out.push(
    unmapped.length === 0
      ? { name: 'config', ok: true, detail: `${cfg.network}, subaccount "${o.env[NADO_ENV.subaccount] || cfg.subaccount}", ${o.symbols.length} symbols mapped (${o.symbols.join(', ')})${cfg.reduceOnly ? ', global reduce-only ON' : ''}` }
      : { name: 'config', ok: false, detail: `nado.symbols has no entry for ${unmapped.join(', ')} (the bots trade them)` },
  );
  out.push(keysResult([NADO_ENV.wallet, NADO_ENV.privateKey], o.env, o.live));
  const shape = nadoKeyShape(o.env);
  if (shape) out.push(shape);
  const ex = await createNadoExchange(cfg, {});
  const api = ex.urls['api'] as Record<string, unknown>;
  const gateway = String(cfg.urls.gateway ?? api['gateway']);
  try {
    const t = await nadoServerTime(gateway, o.wall, cfg.requestTimeoutMs);
    out.push({ name: 'connectivity', ok: true, detail: `${gateway} answered in ${t.received - t.sent} ms` });
    // The limit the live venue refuses orders past (nado.maxClockSkewMs; adapters/nado/nado-clock-guard.ts).
    const skew = clockSkewResult(t.server, t.sent, t.received, cfg.maxClockSkewMs);
    out.push(t.coarse ? { ...skew, detail: `${skew.detail} (from the HTTP Date header, ±1 s)` } : skew);
  } catch (e) {
    out.push(unreachable('connectivity', gateway, e));
    out.push({ name: 'clock', ok: false, detail: 'not checked: the venue did not answer' });
  }
  try {
    await ex.loadMarkets();
    for (const s of o.symbols) {
      const cs = cfg.symbols[s];
      const m = cs === undefined ? undefined : ex.markets?.[cs];
      if (cs === undefined) out.push({ name: `market ${s}`, ok: false, detail: `no entry in nado.symbols for ${s}` });
      else if (!m) out.push({ name: `market ${s}`, ok: false, detail: `${cs} (for ${s}) is not listed on Nado: check nado.symbols` });
      else {
        const tick = m.precision?.price;
        const lot = m.precision?.amount;
        const ok = typeof tick === 'number' && tick > 0 && typeof lot === 'number' && lot > 0 && m.active !== false;
        out.push({ name: `market ${s}`, ok, detail: `${s} → ${cs} (product ${m.id}): tick ${String(tick)}, lot ${String(lot)}, min ${String(m.limits?.amount?.min ?? lot)}${m.active === false ? '; but the market is not active' : ''}` });
      }
    }
  } catch (e) {
    out.push(unreachable('markets', `${gateway} symbols`, e));
  }
  const builderFeeOff = (ex.options as Record<string, unknown>)['builderFee'] === false;
  out.push({ name: 'builder fee', ok: builderFeeOff, detail: builderFeeOff ? "ccxt's own builder fee is off" : "ccxt would add its builder fee (+1 bp per order): options.builderFee must be false" });
  const subscribe = cfg.urls.subscribe ?? String((api['ws'] as Record<string, unknown> | undefined)?.['subscriptions'] ?? '');
  if (subscribe) out.push(await streamCheck(subscribe, cfg.requestTimeoutMs, o.wall));
  const over = (Object.keys(NADO_PUBLISHED) as (keyof typeof NADO_PUBLISHED)[]).filter((k) => cfg.limits[k] > NADO_PUBLISHED[k]);
  out.push(over.length > 0
    ? { name: 'rate limits', ok: false, detail: `${over.map((k) => `nado.limits.${k} ${cfg.limits[k]} exceeds the published ${NADO_PUBLISHED[k]}`).join('; ')}: expect 429s` }
    : { name: 'rate limits', ok: true, detail: `queries ≤ ${cfg.limits.queriesPer10s}/10 s and ${cfg.limits.queriesPerMinute}/min per IP; orders ≤ ${cfg.limits.ordersPer10s}/10 s and ${cfg.limits.ordersPerMinute}/min per wallet (published limits); ccxt's throttler off` });
  return out;
}
