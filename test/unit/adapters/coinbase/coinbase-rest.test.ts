/** CoinbaseRest against a scripted fetch: paging of list endpoints. */
import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../../../src/core/clock.js';
import { silentLogger } from '../../../../src/core/logger.js';
import { coinbaseSigner, limiterFor } from '../../../../adapters/coinbase/index.js';
import { coinbaseConfigSchema } from '../../../../adapters/coinbase/coinbase-config.js';
import { ConfigError } from '../../../../src/core/errors.js';
import { CoinbaseRest, type CoinbaseSigner, type FetchLike } from '../../../../adapters/coinbase/coinbase-rest.js';

const signer: CoinbaseSigner = {
  sign: (path, _api, method, params) => ({ url: `http://127.0.0.1:1/api/v3/${path}?${new URLSearchParams(params as Record<string, string>).toString()}`, method, headers: { Authorization: 'Bearer x' } }),
};

function restWith(pages: Record<string, unknown>): { rest: CoinbaseRest; urls: string[] } {
  const urls: string[] = [];
  const fetch: FetchLike = async (url) => {
    urls.push(url);
    const cursor = new URL(url).searchParams.get('cursor') ?? '';
    const body = JSON.stringify(pages[cursor]);
    return { status: 200, headers: { get: () => null }, text: async () => body };
  };
  const wall = new LiveClock();
  const rest = new CoinbaseRest({ signer, clock: wall, logger: silentLogger, privateLimiter: limiterFor(wall, 30), publicLimiter: limiterFor(wall, 10), timeoutMs: 1000, queryRetries: 0, fetch });
  return { rest, urls };
}

describe('CoinbaseRest paging', () => {
  it('fills follow the cursor until the last page (newest first: the oldest fills are on the later pages)', async () => {
    const { rest, urls } = restWith({
      '': { fills: [{ entry_id: 'e3' }, { entry_id: 'e2' }], cursor: 'c1' },
      c1: { fills: [{ entry_id: 'e1' }], cursor: '' },
    });
    const res = (await rest.fills({ sinceIso: '2026-11-21T00:00:00Z' })) as { fills: { entry_id: string }[] };
    expect(res.fills.map((f) => f.entry_id)).toEqual(['e3', 'e2', 'e1']);
    expect(urls).toHaveLength(2);
  });

  it('orders follow the cursor while has_next', async () => {
    const { rest, urls } = restWith({
      '': { orders: [{ order_id: 'o2' }], has_next: true, cursor: 'c1' },
      c1: { orders: [{ order_id: 'o1' }], has_next: false, cursor: 'c2' },
    });
    const res = (await rest.orders({ status: ['OPEN'] })) as { orders: { order_id: string }[] };
    expect(res.orders.map((o) => o.order_id)).toEqual(['o2', 'o1']);
    expect(urls).toHaveLength(2);
  });
});

describe('Coinbase signing key', () => {
  it('a secret that cannot sign is a ConfigError naming the variable (exit 2 before any request), never quoting the secret', async () => {
    for (const secret of ['ZZSECRETZZ0123', '-----BEGIN EC PRIVATE KEY-----\nZZSECRETZZ0123\n-----END EC PRIVATE KEY-----']) {
      const err = await coinbaseSigner(coinbaseConfigSchema.parse({}), { apiKey: 'organizations/o/apiKeys/k', secret }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/COINBASE_API_PRIVATE_KEY/);
      expect((err as Error).message).not.toMatch(/ZZ|padding|hex string/);
    }
  });
});
