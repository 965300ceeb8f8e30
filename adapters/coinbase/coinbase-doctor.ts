/**
 * `dnbot doctor --venue coinbase`: config, keys (names only), connectivity, clock skew, our symbols
 * on listed products (tick, lot, contract size), the key accepted (when set), the stream, and the
 * rate limits in force. Every detail is plain words and never contains a key.
 */
import { ConfigError } from '../../src/core/errors.js';
import { COINBASE_KEY_ENV, COINBASE_SECRET_ENV, type CoinbaseConfig } from './coinbase-config.js';
import { COINBASE_WS_URL, coinbaseKeys, coinbaseRest, LIMIT_HEADROOM, loadCoinbaseProducts, UNUSABLE_SECRET, type CoinbaseKeys } from './index.js';
import { parseBalanceSummary, parseServerTime, type CoinbaseProduct } from './coinbase-parse.js';
import { COINBASE_RATE_BUDGETS, COINBASE_WS_CONNECTS_PER_SECOND } from './coinbase-quirks.js';
import { CoinbaseHttpError } from './coinbase-rest.js';
import { clockSkewResult, keysResult, unreachable, type CcxtDoctorOptions, type DoctorResult } from '../ccxt-common/doctor-common.js';
import { streamCheck } from '../ccxt-common/doctor-stream.js';

/** Dated futures closer than this to expiry are flagged: the position would be closed at settlement. */
const EXPIRY_WARN_MS = 14 * 24 * 3600_000;

function keyShape(env: Readonly<Record<string, string | undefined>>): DoctorResult | null {
  const name = env[COINBASE_KEY_ENV];
  const secret = env[COINBASE_SECRET_ENV];
  if (!name || !secret) return null;
  const problems: string[] = [];
  if (!name.includes('/apiKeys/')) problems.push(`${COINBASE_KEY_ENV} should be the key's name (organizations/<org>/apiKeys/<id>), not its id or public key`);
  if (!secret.replace(/\\n/g, '\n').includes('-----BEGIN')) problems.push(`${COINBASE_SECRET_ENV} should be the key's EC private key in PEM form (-----BEGIN EC PRIVATE KEY-----)`);
  return problems.length === 0 ? null : { name: 'key format', ok: false, detail: problems.join('; ') };
}

function describeProduct(symbol: string, p: CoinbaseProduct): string {
  const contract = p.kind === 'future' ? `, 1 contract = ${p.contractSize} ${p.base}` : '';
  return `${symbol} → ${p.productId} (${p.ccxtSymbol}): tick ${p.tick} ${p.quote}, lot ${p.lot} ${p.base}${contract}, min ${p.minSize} ${p.base}`;
}

function instrumentResults(o: CcxtDoctorOptions<CoinbaseConfig>, products: readonly CoinbaseProduct[]): DoctorResult[] {
  const byCcxt = new Map(products.map((p) => [p.ccxtSymbol, p]));
  const byId = new Map(products.map((p) => [p.productId, p]));
  return o.symbols.map((s) => {
    const name = `market ${s}`;
    const cs = o.config.symbols[s];
    if (cs === undefined) return { name, ok: false, detail: `no entry in coinbase.symbols for ${s}` };
    const p = byCcxt.get(cs) ?? byId.get(cs);
    if (!p) return { name, ok: false, detail: `${cs} (for ${s}) is not listed on Coinbase Advanced Trade: check coinbase.symbols` };
    if (!p.tradable) return { name, ok: false, detail: `${describeProduct(s, p)}; but trading is disabled (cancel-only or view-only)` };
    if (p.expiryMs !== null && p.expiryMs - o.wall.now() < EXPIRY_WARN_MS) {
      return { name, ok: false, detail: `${describeProduct(s, p)}; but it expires ${new Date(p.expiryMs).toISOString().slice(0, 10)}: map ${s} to a later contract` };
    }
    return { name, ok: true, detail: describeProduct(s, p) };
  });
}

function limitsResult(cfg: CoinbaseConfig): DoctorResult {
  const pub = COINBASE_RATE_BUDGETS.find((b) => b.name === 'public')!.windows[0]!.limit;
  const priv = COINBASE_RATE_BUDGETS.find((b) => b.name === 'private')!.windows[0]!.limit;
  const over: string[] = [];
  if (cfg.limits.privatePerSecond > priv) over.push(`coinbase.limits.privatePerSecond ${cfg.limits.privatePerSecond} exceeds Coinbase's published ${priv}/s`);
  if (cfg.limits.publicPerSecond > pub) over.push(`coinbase.limits.publicPerSecond ${cfg.limits.publicPerSecond} exceeds Coinbase's published ${pub}/s`);
  if (over.length > 0) return { name: 'rate limits', ok: false, detail: `${over.join('; ')}: expect 429s` };
  return {
    name: 'rate limits',
    ok: true,
    detail: `private ≤ ${Math.floor(cfg.limits.privatePerSecond * LIMIT_HEADROOM)}/s, public ≤ ${Math.floor(cfg.limits.publicPerSecond * LIMIT_HEADROOM)}/s in any second (90 % of coinbase.limits; published ${priv}/s and ${pub}/s), fills polled every ${cfg.pollMs} ms, ≤ ${COINBASE_WS_CONNECTS_PER_SECOND} stream connects/s; ccxt's throttler off`,
  };
}

/** The key must be allowed to trade; a key that may transfer funds is more than a bot needs. */
async function permissionsResult(fetchPermissions: () => Promise<unknown>): Promise<DoctorResult> {
  try {
    const p = (await fetchPermissions()) as Record<string, unknown>;
    if (p['can_trade'] !== true) return { name: 'key permissions', ok: false, detail: 'the key cannot trade: create a CDP key with the trade permission' };
    const transfer = p['can_transfer'] === true ? '; it can also transfer funds, which the bot never needs (a trade-only key is safer)' : '';
    return { name: 'key permissions', ok: true, detail: `the key can trade${transfer}` };
  } catch (e) {
    return unreachable('key permissions', 'the key permissions endpoint', e);
  }
}

export async function coinbaseDoctorChecks(o: CcxtDoctorOptions<CoinbaseConfig>): Promise<DoctorResult[]> {
  const cfg = { ...o.config, queryRetries: 0 };
  const out: DoctorResult[] = [];
  const unmapped = o.symbols.filter((s) => o.config.symbols[s] === undefined);
  out.push(
    unmapped.length === 0
      ? { name: 'config', ok: true, detail: `${o.symbols.length} symbols mapped (${o.symbols.join(', ')}), stale after ${cfg.staleAfterMs} ms${cfg.reduceOnly ? ', global reduce-only ON' : ''}` }
      : { name: 'config', ok: false, detail: `coinbase.symbols has no entry for ${unmapped.join(', ')} (the bots trade them)` },
  );
  out.push(keysResult([COINBASE_KEY_ENV, COINBASE_SECRET_ENV], o.env, o.live));
  const shape = keyShape(o.env);
  if (shape) out.push(shape);
  let keys: CoinbaseKeys | null = null;
  try {
    keys = shape === null ? coinbaseKeys(o.env) : null;
  } catch {
    keys = null;
  }
  let wiring;
  try {
    wiring = await coinbaseRest(cfg, keys, o.wall, o.logger);
  } catch (e) {
    if (!(e instanceof ConfigError) || keys === null) throw e;
    out.push({ name: 'key format', ok: false, detail: `${COINBASE_SECRET_ENV} ${UNUSABLE_SECRET}` });
    keys = null; // the public checks still run
    wiring = await coinbaseRest(cfg, null, o.wall, o.logger);
  }
  const { rest } = wiring;
  const restUrl = cfg.urls.rest ?? 'https://api.coinbase.com';
  try {
    const sent = o.wall.now();
    const server = parseServerTime(await rest.time());
    const received = o.wall.now();
    out.push({ name: 'connectivity', ok: true, detail: `${restUrl} answered in ${received - sent} ms` });
    out.push(clockSkewResult(server, sent, received));
  } catch (e) {
    out.push(unreachable('connectivity', restUrl, e));
    out.push({ name: 'clock', ok: false, detail: 'not checked: the venue did not answer' });
  }
  try {
    out.push(...instrumentResults(o, await loadCoinbaseProducts(rest, o.logger)));
  } catch (e) {
    out.push(unreachable('markets', `${restUrl} products`, e));
  }
  if (keys !== null) {
    try {
      const acc = parseBalanceSummary(await rest.cfmBalanceSummary());
      out.push({ name: 'account', ok: true, detail: `key accepted; futures collateral ${acc.collateral.toFixed(2)} USD, free ${acc.freeCollateral.toFixed(2)} USD` });
    } catch (e) {
      const refused = e instanceof CoinbaseHttpError && (e.status === 401 || e.status === 403);
      out.push(refused
        ? { name: 'account', ok: false, detail: `Coinbase refused the key (HTTP ${(e as CoinbaseHttpError).status}): check ${COINBASE_KEY_ENV} and ${COINBASE_SECRET_ENV}, the key's trade permission, and the clock` }
        : unreachable('account', 'the futures balance summary', e));
    }
  }
  if (keys !== null) out.push(await permissionsResult(() => rest.keyPermissions()));
  out.push(await streamCheck(cfg.urls.ws ?? COINBASE_WS_URL, cfg.requestTimeoutMs, o.wall, { type: 'subscribe', channel: 'heartbeats', product_ids: [] }));
  out.push(limitsResult(cfg));
  return out;
}
