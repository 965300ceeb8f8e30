/**
 * Our symbols ↔ Coinbase products (pure). The config maps our symbol to a ccxt symbol
 * (`ETH/USD:USD-301220`); the product list tells which product id that is and its grid.
 */
import { ConfigError, ErrorCodes } from '../../src/core/errors.js';
import type { Instrument, OrderRequest } from '../../src/core/types.js';
import { roundDown, roundPriceForSide, stepDecimals } from '../../src/core/tick-rounding.js';
import { toInstrument, type CoinbaseFees, type CoinbaseProduct } from './coinbase-parse.js';

export interface MappedMarket {
  readonly symbol: string;
  readonly product: CoinbaseProduct;
  readonly instrument: Instrument;
}

export class CoinbaseMarkets {
  private readonly bySymbol = new Map<string, MappedMarket>();
  private readonly byProduct = new Map<string, MappedMarket>();

  constructor(markets: readonly MappedMarket[]) {
    for (const m of markets) {
      this.bySymbol.set(m.symbol, m);
      this.byProduct.set(m.product.productId, m);
    }
  }

  /**
   * Maps each of our symbols through the config's ccxt symbols onto the listed products.
   * Throws a ConfigError naming the entry when a symbol is not configured or not listed.
   */
  static build(symbols: readonly string[], ccxtSymbols: Readonly<Record<string, string>>, products: readonly CoinbaseProduct[], fees: CoinbaseFees): CoinbaseMarkets {
    const byCcxt = new Map(products.map((p) => [p.ccxtSymbol, p]));
    const byId = new Map(products.map((p) => [p.productId, p]));
    const out: MappedMarket[] = [];
    for (const s of symbols) {
      const cs = ccxtSymbols[s];
      if (cs === undefined) throw new ConfigError(`coinbase.symbols.${s}`, `no Coinbase market configured for ${s} (e.g. "ETH/USD:USD-301220")`, ErrorCodes.VENUE_UNKNOWN_SYMBOL);
      const p = byCcxt.get(cs) ?? byId.get(cs);
      if (!p) throw new ConfigError(`coinbase.symbols.${s}`, `${cs} is not listed on Coinbase Advanced Trade`, ErrorCodes.VENUE_UNKNOWN_SYMBOL);
      out.push({ symbol: s, product: p, instrument: toInstrument(s, p, fees) });
    }
    return new CoinbaseMarkets(out);
  }

  all(): MappedMarket[] {
    return [...this.bySymbol.values()];
  }

  bySym(symbol: string): MappedMarket {
    const m = this.bySymbol.get(symbol);
    if (!m) throw new ConfigError(`coinbase.symbols.${symbol}`, `${symbol} is not mapped`, ErrorCodes.VENUE_UNKNOWN_SYMBOL);
    return m;
  }

  /** For parsers: our symbol and contract size of a product id; null when not ours. */
  readonly symbolOf = (productId: string): { symbol: string; contractSize: number } | null => {
    const m = this.byProduct.get(productId);
    return m ? { symbol: m.symbol, contractSize: m.product.contractSize } : null;
  };

  productIds(): string[] {
    return [...this.byProduct.keys()];
  }
}

/**
 * The POST /orders body for one of our requests. Prices rounded by us (bids down, asks up);
 * sizes converted to contracts and rounded down. Never carries a reduce-only field (ccxt's
 * mapping of it is a close-position request): reduce-only is enforced by the caller.
 */
export function orderBody(req: OrderRequest, p: CoinbaseProduct): Record<string, unknown> {
  const contractStep = p.lot / p.contractSize;
  const contracts = roundDown(req.size / p.contractSize, contractStep);
  const baseSize = contracts.toFixed(stepDecimals(contractStep));
  const side = req.side === 'buy' ? 'BUY' : 'SELL';
  const head = { client_order_id: req.clientOrderId, product_id: p.productId, side };
  if (req.price === undefined) {
    return { ...head, order_configuration: { market_market_ioc: { base_size: baseSize } } };
  }
  const limitPrice = roundPriceForSide(req.price, p.tick, req.side).toFixed(stepDecimals(p.tick));
  if (req.type === 'market' || req.tif === 'IOC') {
    return { ...head, order_configuration: { sor_limit_ioc: { base_size: baseSize, limit_price: limitPrice } } };
  }
  return { ...head, order_configuration: { limit_limit_gtc: { base_size: baseSize, limit_price: limitPrice, post_only: req.tif === 'POST_ONLY' } } };
}
