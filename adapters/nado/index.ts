import type { Exchange } from 'ccxt';
import { ConfigError } from '../../src/core/errors.js';
import type { Candle } from '../../src/core/types.js';
import type { VenueBundle, VenueOpenOptions } from '../../src/core/venue.js';
import { WeightedLimiter } from '../../src/core/weighted-limiter.js';
import type { NadoConfig } from './nado-config.js';
import { NadoMarketSource } from './nado-market-source.js';
import { NadoVenue } from './nado-venue.js';
import { NadoClockGuard } from './nado-clock-guard.js';
import { mapInstrument } from '../ccxt-common/instrument-mapper.js';
import { nadoMarginTerms, nadoFeeRates } from './nado-instruments.js';
import { startMarkPoller } from './nado-marks.js';
import { NadoOrderMap } from './nado-order-map.js';
import { nadoQuirks } from './nado-quirks.js';
import { NadoRest } from './nado-rest.js';
import { parseMarketLiquidity } from './nado-snapshot.js';
import { NadoStream, type NadoPrivateStreams } from './nado-stream.js';

/** Environment variables Nado's live mode reads (never logged, never stored). */
export const NADO_ENV = { wallet: 'NADO_WALLET_ADDRESS', privateKey: 'NADO_PRIVATE_KEY', subaccount: 'NADO_SUBACCOUNT' } as const;

const HISTORY_BARS = 240;

/** The ccxt.pro Nado instance, pointed at the configured (or overridden) endpoints, its throttler off. */
export async function createNadoExchange(cfg: NadoConfig, creds: { walletAddress?: string; privateKey?: string }): Promise<Exchange> {
  const ccxt = (await import('ccxt')).default;
  const quirks = nadoQuirks(cfg);
  const ex = new ccxt.pro.nado({
    enableRateLimit: false,
    timeout: cfg.requestTimeoutMs,
    options: { ...quirks.ccxtOptions },
    ...(creds.walletAddress ? { walletAddress: creds.walletAddress } : {}),
    ...(creds.privateKey ? { privateKey: creds.privateKey } : {}),
  }) as unknown as Exchange;
  if (cfg.network === 'testnet') ex.setSandboxMode(true);
  const api = ex.urls['api'] as Record<string, unknown>;
  for (const k of ['gateway', 'gatewayV2', 'archive', 'archiveV2', 'trigger'] as const) {
    const u = cfg.urls[k];
    if (u) api[k] = u;
  }
  return ex;
}

/** Opens Nado: market data always, the live venue in live mode. Loaded lazily by the composition root. */
export async function openNado(o: VenueOpenOptions<NadoConfig>): Promise<VenueBundle> {
  const cfg = o.config;
  const live = o.mode === 'live';
  const walletAddress = o.env[NADO_ENV.wallet];
  const privateKey = o.env[NADO_ENV.privateKey];
  if (live && !walletAddress) throw new ConfigError(NADO_ENV.wallet, `live trading on Nado needs ${NADO_ENV.wallet} in the environment`);
  if (live && !privateKey) throw new ConfigError(NADO_ENV.privateKey, `live trading on Nado needs ${NADO_ENV.privateKey} in the environment`);
  const subaccount = o.env[NADO_ENV.subaccount] || cfg.subaccount;
  const quirks = nadoQuirks({ ...cfg, subaccount });
  const ex = await createNadoExchange({ ...cfg, subaccount }, live ? { walletAddress: walletAddress!, privateKey: privateKey! } : {});
  const limiter = new WeightedLimiter(o.wall, quirks.rateBudgets);
  // ccxt builds each nonce's recv time from its own clock: ours (injected) instead, the one every
  // recv-window comparison here uses.
  (ex as unknown as { milliseconds: () => number }).milliseconds = () => o.wall.now();
  const rest = new NadoRest(ex, limiter, quirks, o.wall, o.logger);
  await rest.call('markets', 'query', () => ex.loadMarkets());

  const markets = o.symbols.map((symbol) => {
    const ccxtSymbol = quirks.venueSymbol(symbol, cfg.symbols);
    const m = ex.markets?.[ccxtSymbol];
    if (!m) throw new ConfigError('nado.symbols', `Nado lists no market ${ccxtSymbol} (for ${symbol})`);
    return { symbol, ccxtSymbol, productId: Number(m.id), market: m };
  });
  const instruments = markets.map((m) => ({ ...mapInstrument('nado', m.symbol, m.market, nadoMarginTerms(m.market.info as Record<string, unknown>)), ...nadoFeeRates(m.market) }));

  const history = new Map<string, readonly Candle[]>();
  for (const m of markets) {
    try {
      const rows = await rest.call('candles', 'query', () => ex.fetchOHLCV(m.ccxtSymbol, '1m', undefined, HISTORY_BARS));
      history.set(m.symbol, rows.map(([ts, open, high, low, close, volume]) => ({ ts: ts!, open: open!, high: high!, low: low!, close: close!, volume: volume ?? 0 })));
    } catch (err) {
      o.logger.warn({ symbol: m.symbol, err: (err as Error).message }, 'nado: no warm-up candles');
      history.set(m.symbol, []);
    }
  }

  let stream: NadoStream | null = null;
  let stopMarks = (): void => undefined;
  const source = new NadoMarketSource({
    venue: 'nado', markets, instruments, history, wall: o.wall, logger: o.logger, staleAfterMs: cfg.staleAfterMs, depth: cfg.bookDepth,
    fetchSnapshot: async (pid) =>
      parseMarketLiquidity(await rest.query('book_snapshot', { type: 'market_liquidity', product_id: pid, depth: cfg.bookDepth })),
    requestReconnect: () => stream?.reconnect('stale book stream'),
    onClose: () => {
      stopMarks();
      stream?.close();
      limiter.close();
    },
  });

  // A failure past this point must not leave the source's timers (and a socket) running.
  try {
    let venue: NadoVenue | null = null;
    let privateStreams: NadoPrivateStreams | null = null;
    if (live) {
      const exAny = ex as unknown as {
        createSubaccount(a: string, s: string): string;
        signStreamAuthentication(tx: object, chainId: string, endpoint: string): string;
      };
      const sender = exAny.createSubaccount(walletAddress!, subaccount);
      const { chainId, endpoint } = await rest.contracts();
      const clock = new NadoClockGuard({
        wall: o.wall, logger: o.logger, maxSkewMs: cfg.maxClockSkewMs, recheckMs: cfg.clockCheckMs, recvWindowMs: cfg.recvWindowMs,
        serverTime: async () => Number(await rest.call('time', 'query', () => ex.fetchTime())),
      });
      await clock.measure(); // logged when past the limit; orders are then refused, naming the skew
      venue = new NadoVenue({
        rest, quirks, instruments, markets, orders: new NadoOrderMap(o.state), sender, wall: o.wall, logger: o.logger,
        reduceOnlyAll: cfg.reduceOnly, accountRefreshMs: cfg.accountRefreshMs,
        top: (symbol) => source.top(symbol), marketSlippageBps: cfg.marketSlippageBps, archiveLagMs: cfg.archiveLagMs, clock,
      });
      source.setPrivateListener(venue);
      const v = venue;
      privateStreams = {
        authenticate: () => {
          const tx = { sender, expiration: String(o.wall.now() + cfg.recvWindowMs) };
          return { method: 'authenticate', tx, signature: exAny.signStreamAuthentication(tx, chainId, endpoint) };
        },
        subscriptions: () =>
          markets.flatMap((m) => [
            { method: 'subscribe', stream: { type: 'fill', subaccount: sender, product_id: m.productId } },
            { method: 'subscribe', stream: { type: 'order_update', subaccount: sender, product_id: m.productId } },
          ]),
        onPrivateSubscribed: () => v.onGap('private streams subscribed'),
      };
    }

    const wsUrl = cfg.urls.subscribe ?? String(((ex.urls['api'] as Record<string, unknown>)['ws'] as Record<string, unknown>)['subscriptions']);
    stream = new NadoStream({
      url: wsUrl, wall: o.wall, logger: o.logger, reconnectDelayMs: cfg.reconnectDelayMs, staleAfterMs: cfg.staleAfterMs,
      source, private: privateStreams, pingMs: 20_000,
    });
    stream.start();
    stopMarks = startMarkPoller({
      rest, wall: o.wall, logger: o.logger, everyMs: cfg.markPollMs, push: (m) => source.pushMark(m),
      markets: markets.map((m) => ({ symbol: m.symbol, tickerId: String((m.market.info as Record<string, unknown>)['ticker_id']) })),
    });
    return { source, live: venue };
  } catch (err) {
    await source.close();
    throw err;
  }
}
